package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import switchboard.callback.Governor.Due;
import switchboard.callback.Governor.Hold;
import switchboard.callback.Governor.Release;
import switchboard.callback.Governor.Snapshot;
import switchboard.lead.LeadSource;

class GovernorTest {
    private static final Instant NOW = Instant.parse("2026-07-15T14:00:00Z");
    private static final Duration RESERVE = Duration.ofSeconds(30);

    private static Governor governor(int channels, double perSecond, Release release, int overshoot) {
        return new Governor(new Governor.Limits(channels, perSecond, release, overshoot, RESERVE));
    }

    private static Due due(String id, int minutesAgo, LeadSource source) {
        return new Due(id, NOW.minusSeconds(1), NOW.minusSeconds(60L * minutesAgo), false, false, source, false);
    }

    private static List<String> ids(Governor.Decision d) {
        return d.release().stream().map(Due::attemptId).toList();
    }

    private static Snapshot free(int agents) {
        return new Snapshot(0, agents, 0, Duration.ZERO);
    }

    @Test
    void priorityIsEmergencyThenRequestedThenPaidThenRepeatThenOldest() {
        var list = List.of(
                due("old-seo", 50, LeadSource.SEO),
                due("new-seo", 1, LeadSource.SEO),
                new Due("repeat", NOW, NOW.minusSeconds(120), false, false, LeadSource.GBP, true),
                due("ppc", 2, LeadSource.PPC),
                due("lsa-older", 3, LeadSource.LSA),
                new Due("requested", NOW, NOW.minusSeconds(30), false, true, LeadSource.UNKNOWN, false),
                new Due("emergency", NOW, NOW.minusSeconds(10), true, false, LeadSource.SEO, false));
        var d = governor(10, 100, Release.CUSTOMER_FIRST, 0)
                .decide(list, free(10), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(List.of("emergency", "requested", "lsa-older", "ppc", "repeat", "old-seo", "new-seo"), ids(d));
        assertEquals(0, d.backlog());
    }

    @Test
    void anEmergencyOutranksRequestedPaidRepeatAndAge() {
        // The emergency is the newest miss, from an unpaid source, a first-time caller who asked for nothing; every
        // other is ahead of it on each of those counts, and one of them on all at once.
        var emergency = new Due("emergency", NOW, NOW.minusSeconds(5), true, false, LeadSource.UNKNOWN, false);
        var list = List.of(
                new Due(
                        "everything-but",
                        NOW.minusSeconds(600),
                        NOW.minusSeconds(3600),
                        false,
                        true,
                        LeadSource.LSA,
                        true),
                new Due("requested", NOW, NOW.minusSeconds(60), false, true, LeadSource.SEO, false),
                new Due("paid", NOW, NOW.minusSeconds(120), false, false, LeadSource.PPC, false),
                new Due("repeat", NOW, NOW.minusSeconds(180), false, false, LeadSource.GBP, true),
                due("oldest", 120, LeadSource.SEO),
                emergency);
        var g = governor(10, 100, Release.WHEN_AGENT_FREE, 0);
        var one = g.decide(list, free(1), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(List.of("emergency"), ids(one), "one free CSR: the emergency gets it");
        assertEquals(5, one.backlog());
        var all = g.decide(list, free(10), new Governor.RateBucket(100, NOW), NOW);
        assertEquals("emergency", ids(all).get(0));
        assertEquals("everything-but", ids(all).get(1));

        // Two emergencies: among them, the usual order (oldest miss first).
        var older = new Due("older-emergency", NOW, NOW.minusSeconds(50), true, false, LeadSource.UNKNOWN, false);
        var both = g.decide(List.of(emergency, list.get(0), older), free(1), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(List.of("older-emergency"), ids(both));
    }

    @Test
    void neverMoreChannelsThanTheLimitAndTheRestIsBacklogNotDropped() {
        var list = new ArrayList<Due>();
        for (int i = 0; i < 30; i++) list.add(due("a" + i, 30 - i, LeadSource.SEO));
        var g = governor(3, 100, Release.CUSTOMER_FIRST, 100);
        var d = g.decide(list, new Snapshot(1, 30, 0, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(2, d.release().size(), "3 allowed, 1 already live");
        assertEquals(28, d.backlog());
        assertEquals(Hold.CHANNELS, d.hold());
        assertEquals(List.of("a0", "a1"), ids(d), "oldest first");
    }

    @Test
    void whenAgentFreeReleasesOnePerFreeCsrNotAlreadyPromised() {
        var list = List.of(due("a", 3, LeadSource.SEO), due("b", 2, LeadSource.SEO), due("c", 1, LeadSource.SEO));
        var g = governor(10, 100, Release.WHEN_AGENT_FREE, 5);
        assertEquals(
                List.of("a"),
                ids(g.decide(list, new Snapshot(1, 2, 1, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW)));
        var none = g.decide(list, new Snapshot(0, 0, 0, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(Hold.AGENTS, none.hold());
        assertEquals(3, none.backlog());
    }

    @Test
    void agentFirstReleasesOnePerFreeCsrAndNeverOvershoots() {
        var list = List.of(due("a", 3, LeadSource.SEO), due("b", 2, LeadSource.SEO), due("c", 1, LeadSource.SEO));
        var g = governor(10, 100, Release.AGENT_FIRST, 5); // the overshoot is for customer-first only
        assertEquals(
                List.of("a", "b"),
                ids(g.decide(list, new Snapshot(0, 2, 0, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW)));
        var none = g.decide(list, new Snapshot(2, 2, 2, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW);
        assertEquals(Hold.AGENTS, none.hold(), "both free CSRs are already being rung for callbacks");
    }

    @Test
    void customerFirstOvershootsFreeCsrsByABoundedNumber() {
        var list = List.of(
                due("a", 4, LeadSource.SEO),
                due("b", 3, LeadSource.SEO),
                due("c", 2, LeadSource.SEO),
                due("d", 1, LeadSource.SEO));
        var g = governor(10, 100, Release.CUSTOMER_FIRST, 2);
        assertEquals(
                3,
                g.decide(list, new Snapshot(0, 1, 0, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW)
                        .release()
                        .size(),
                "1 free + 2 overshoot");
        assertEquals(
                0,
                g.decide(list, new Snapshot(3, 1, 3, Duration.ZERO), new Governor.RateBucket(100, NOW), NOW)
                        .release()
                        .size(),
                "overshoot already used");
    }

    @Test
    void inboundCallersWaitingTooLongPauseCallbacks() {
        var d = governor(10, 100, Release.CUSTOMER_FIRST, 2)
                .decide(
                        List.of(due("a", 1, LeadSource.LSA)),
                        new Snapshot(0, 5, 0, Duration.ofSeconds(31)),
                        new Governor.RateBucket(100, NOW),
                        NOW);
        assertTrue(d.release().isEmpty());
        assertEquals(Hold.INBOUND_RESERVE, d.hold());
        assertEquals(1, d.backlog());
    }

    @Test
    void theRateBucketPacesOriginates() {
        var list = new ArrayList<Due>();
        for (int i = 0; i < 10; i++) list.add(due("a" + i, 10 - i, LeadSource.SEO));
        var g = governor(100, 2, Release.CUSTOMER_FIRST, 100);
        var bucket = new Governor.RateBucket(2, NOW);
        var first = g.decide(list, free(100), bucket, NOW);
        assertEquals(2, first.release().size(), "burst of one second's worth");
        assertEquals(Hold.RATE, first.hold());
        assertEquals(NOW.plusMillis(500), bucket.nextTokenAt());
        assertEquals(
                0,
                g.decide(list.subList(2, 10), free(100), bucket, NOW.plusMillis(400))
                        .release()
                        .size());
        assertEquals(
                1,
                g.decide(list.subList(2, 10), free(100), bucket, NOW.plusMillis(500))
                        .release()
                        .size());
    }

    @Test
    void notYetDueAttemptsAreNeitherReleasedNorBacklog() {
        var later = new Due("later", NOW.plusSeconds(60), NOW.minusSeconds(5), false, false, LeadSource.LSA, false);
        var d = governor(10, 100, Release.CUSTOMER_FIRST, 0)
                .decide(List.of(later), free(5), new Governor.RateBucket(100, NOW), NOW);
        assertTrue(d.release().isEmpty());
        assertEquals(0, d.backlog());
    }

    @Test
    void badLimitsAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> governor(0, 1, Release.WHEN_AGENT_FREE, 0));
        assertTrue(e.getMessage().contains("max concurrent"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> governor(1, 0, Release.WHEN_AGENT_FREE, 0));
        assertThrows(IllegalArgumentException.class, () -> governor(1, 1, Release.WHEN_AGENT_FREE, -1));
    }
}
