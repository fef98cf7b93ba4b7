package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import switchboard.lead.LeadSource;

class OverflowRulesTest {
    private static final Instant NOW = Instant.parse("2026-07-15T15:00:00Z");
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private final OverflowRules rules = new OverflowRules(Duration.ofSeconds(3));

    private static QueueView.Caller caller(String id, int waitedSeconds, Integer ringingForSeconds) {
        return new QueueView.Caller(
                id,
                id,
                "PJSIP/carrier-" + id,
                "+19195550100",
                NOW.minusSeconds(waitedSeconds),
                0,
                ringingForSeconds == null ? null : NOW.minusSeconds(ringingForSeconds));
    }

    private static QueueView queue(List<QueueView.Caller> waiting, QueueView.MemberState... members) {
        var ms = new java.util.ArrayList<QueueView.Member>();
        for (int i = 0; i < members.length; i++) ms.add(new QueueView.Member("PJSIP/20" + i, "Agent", members[i]));
        return new QueueView("service", waiting, ms, new QueueView.Stats(0, 0, 0, 0));
    }

    private static OverflowPolicy policy(String maxWait, int maxWaiting, boolean noMember, String hours) {
        return OverflowPolicy.parse("service", true, maxWait, maxWaiting, noMember, List.of(), hours, "queue:overflow");
    }

    private static List<String> ids(List<OverflowRules.Move> moves) {
        return moves.stream().map(m -> m.caller().uniqueId()).toList();
    }

    @Test
    void aCallerIsMovedWhenTheirWaitReachesTheLimitOnlyOnce() {
        var q = queue(List.of(caller("a", 31, 10), caller("b", 29, 10)), QueueView.MemberState.RINGING);
        var moves = rules.decide(q, policy("30s", 0, false, null), NOW, ZONE, Set.of());
        assertEquals(List.of("a"), ids(moves));
        assertEquals(OverflowRules.Reason.WAIT, moves.get(0).reason());
        assertTrue(
                rules.decide(q, policy("30s", 0, false, null), NOW, ZONE, Set.of(OverflowRules.key("a", "service")))
                        .isEmpty(),
                "moved once per queue");
    }

    @Test
    void aCallerWhoseAgentJustStartedRingingIsNotSnatched() {
        var q = queue(List.of(caller("a", 40, 1)), QueueView.MemberState.RINGING);
        assertTrue(rules.decide(q, policy("30s", 0, false, null), NOW, ZONE, Set.of())
                .isEmpty());
        var later = queue(List.of(caller("a", 40, 4)), QueueView.MemberState.RINGING);
        assertEquals(List.of("a"), ids(rules.decide(later, policy("30s", 0, false, null), NOW, ZONE, Set.of())));
    }

    @Test
    void noMemberAvailableMovesEveryoneAtOnceAndTooManyWaitingMovesTheNewest() {
        var paused = queue(
                List.of(caller("a", 1, null), caller("b", 0, null)),
                QueueView.MemberState.PAUSED,
                QueueView.MemberState.BUSY);
        var moves = rules.decide(paused, policy(null, 0, true, null), NOW, ZONE, Set.of());
        assertEquals(List.of("a", "b"), ids(moves));
        assertEquals(OverflowRules.Reason.NO_MEMBER_AVAILABLE, moves.get(0).reason());
        var crowded = queue(
                List.of(caller("a", 9, null), caller("b", 5, null), caller("c", 2, null)),
                QueueView.MemberState.BUSY,
                QueueView.MemberState.FREE);
        assertEquals(
                List.of("c"),
                ids(rules.decide(crowded, policy(null, 2, true, null), NOW, ZONE, Set.of())),
                "a free member: only the third caller is over the limit");
    }

    @Test
    void outsideThePolicysHoursNobodyMoves() {
        var q = queue(List.of(caller("a", 100, null)));
        assertTrue(
                rules.decide(q, policy("30s", 0, false, "07:00-10:00"), NOW, ZONE, Set.of())
                        .isEmpty(),
                "11:00 in New York");
        assertEquals(
                1,
                rules.decide(q, policy("30s", 0, false, "07:00-19:00"), NOW, ZONE, Set.of())
                        .size());
    }

    @Test
    void policiesAreValidatedWithMessagesForAPerson() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> OverflowPolicy.parse("service", true, "soon", 0, false, List.of(), null, "queue:overflow"));
        assertTrue(e.getMessage().contains("maxWait must be a duration"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> OverflowPolicy.parse("service", true, "30s", 0, false, List.of(), null, "somewhere"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OverflowPolicy.parse("service", true, "30s", 0, false, List.of(), null, "queue:service"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OverflowPolicy.parse("service", true, null, 0, false, List.of(), null, "queue:overflow"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OverflowPolicy.parse(
                        "service", true, "30s", 0, false, List.of("BILLBOARD"), null, "queue:overflow"));
        var lsaOnly = OverflowPolicy.parse("service", true, "30s", 0, false, List.of("LSA"), null, "offer-callback");
        assertTrue(lsaOnly.appliesTo(LeadSource.LSA));
        assertTrue(!lsaOnly.appliesTo(LeadSource.SEO));
        assertEquals("LSA 2nd call", OverflowActor.CsrContext.prefix(LeadSource.LSA, 2));
        assertEquals("11th call", OverflowActor.CsrContext.prefix(LeadSource.UNKNOWN, 11));
    }
}
