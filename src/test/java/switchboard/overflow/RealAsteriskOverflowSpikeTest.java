package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;
import static switchboard.TestNodes.metric;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.pbx.LabAccess;
import switchboard.readside.Views;

/**
 * A spike through the real Asterisk 22 lab: SIPp sends 10 calls/s for a minute into the service queue, whose two
 * agents (SIPp) answer and stay on each call until the caller hangs up 12 s later, so the queue saturates at once.
 * At 5 s of waiting a caller is moved over the trunk to an answering service ({@code number:} destination, a SIPp
 * that answers every call). Every caller must end answered — by an agent before 5 s, or by the answering service
 * after exactly one move — and none may be moved twice; callers who hung up before they were moved are listed with
 * their timings.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskOverflowSpikeTest {
    private static final int CALLS = 600, RATE = 10, HOLD_MS = 12_000;
    private static final long MAX_WAIT_S = 5, RING_GRACE_S = 3;
    private final List<Process> phones = new ArrayList<>();
    private Node node;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        node = LabAccess.startNode("RealAsteriskOverflowSpikeTest", """
        switchboard.overflow {
          enabled = true
          ring-grace = %ds
          max-moves-per-second = 30
          poll = 100ms
          queues { service { max-wait = %ds, to = "number:PJSIP/+19195550999@customer" } }
        }
        """.formatted(RING_GRACE_S, MAX_WAIT_S));
    }

    @AfterAll
    void stop() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        if (node != null) node.close();
        LabAccess.stop();
    }

    /** One caller's story from the read side: when they joined the queue, were answered, missed, moved. */
    private record Story(Views.CallView call, Instant queuedAt, Instant answeredAt, int moves, long waitedAtMove) {
        double waitedSeconds(Instant until) {
            return queuedAt == null || until == null
                    ? -1
                    : Duration.between(queuedAt, until).toMillis() / 1000.0;
        }
    }

    @Test
    void everyCallerOverTheThresholdIsMovedOnceOrAnswered() throws Exception {
        phones.add(LabAccess.sipp("agent-answer", "5071", "200"));
        phones.add(LabAccess.sipp("agent-answer", "5072", "200"));
        phones.add(LabAccess.sipp("agent-answer", "5070", "200")); // the answering service behind the trunk
        Instant since = Instant.now().minusSeconds(1);
        var callers = LabAccess.sippCaller(
                5090,
                "caller",
                "+18005550100",
                "+19195560000",
                Integer.toString(HOLD_MS),
                Integer.toString(CALLS),
                Integer.toString(RATE));
        phones.add(callers);
        assertTrue(callers.waitFor(CALLS / RATE + 120, TimeUnit.SECONDS), "the SIPp callers finished");

        // Every call ended and was decided on the read side.
        var calls = await(
                Duration.ofSeconds(90),
                () -> node.readStore()
                        .calls(Optional.empty(), Optional.of(since), 5000)
                        .toCompletableFuture()
                        .get(),
                l -> l.stream()
                                        .filter(c -> c.callerNumber() != null
                                                && c.callerNumber().startsWith("+1919556"))
                                        .count()
                                == CALLS
                        && l.stream().allMatch(c -> c.endedAt() != null));
        var stories = new ArrayList<Story>();
        for (var c : calls) {
            if (c.callerNumber() == null || !c.callerNumber().startsWith("+1919556")) continue;
            var detail =
                    node.readStore().call(c.id()).toCompletableFuture().get().orElseThrow();
            Instant queued = null, answered = null;
            int moves = 0;
            long waited = -1;
            for (var e : detail.events()) {
                switch (e.type()) {
                    case "Queued" -> queued = queued == null ? e.at() : queued;
                    case "Answered" -> answered = e.at();
                    case "Rerouted" -> {
                        moves++;
                        waited = e.detail().path("waitedSeconds").asLong();
                    }
                    default -> {}
                }
            }
            stories.add(new Story(c, queued, answered, moves, waited));
        }
        assertEquals(CALLS, stories.size());

        var movedTwice = stories.stream().filter(s -> s.moves() > 1).toList();
        var moved = stories.stream().filter(s -> s.moves() == 1).toList();
        var byAgent = stories.stream()
                .filter(s ->
                        s.moves() == 0 && "answered".equalsIgnoreCase(s.call().status()))
                .toList();
        var hungUpFirst = stories.stream()
                .filter(s ->
                        s.moves() == 0 && !"answered".equalsIgnoreCase(s.call().status()))
                .toList();
        var movedUnanswered = moved.stream()
                .filter(s -> !"answered".equalsIgnoreCase(s.call().status()))
                .toList();
        var movedLate = moved.stream()
                .filter(s -> s.waitedAtMove() < MAX_WAIT_S || s.waitedAtMove() > MAX_WAIT_S + 1)
                .toList();
        // An agent who started ringing for the caller just before the threshold keeps them for the ring grace (they are
        // picking up): answered a little after 5 s is right; after 5 s + the grace (+1 s) the caller should have moved.
        var answeredAfterThreshold = byAgent.stream()
                .filter(s -> s.waitedSeconds(s.answeredAt()) > MAX_WAIT_S)
                .toList();
        var answeredLate = byAgent.stream()
                .filter(s -> s.waitedSeconds(s.answeredAt()) > MAX_WAIT_S + RING_GRACE_S + 1)
                .map(s -> s.call().id() + " answered after " + s.waitedSeconds(s.answeredAt()) + " s")
                .toList();
        System.out.printf(
                "overflow spike: %d calls at %d/s; %d answered by an agent, %d moved once (%d answered there), %d hung up before a move, %d moved twice%n",
                CALLS,
                RATE,
                byAgent.size(),
                moved.size(),
                moved.size() - movedUnanswered.size(),
                hungUpFirst.size(),
                movedTwice.size());
        for (var s : hungUpFirst) {
            System.out.printf(
                    "  hung up first: %s waited %.1f s in the queue, %s%n",
                    s.call().id(),
                    s.waitedSeconds(s.call().missedAt()),
                    s.call().missedReason());
        }
        long waitedMax = moved.stream().mapToLong(Story::waitedAtMove).max().orElse(-1);
        System.out.printf(
                "  answered by an agent after the threshold (their agent was ringing): %d, at most %.1f s%n",
                answeredAfterThreshold.size(),
                answeredAfterThreshold.stream()
                        .mapToDouble(s -> s.waitedSeconds(s.answeredAt()))
                        .max()
                        .orElse(0));
        System.out.printf(
                "  moved after %d..%d s of waiting%n",
                moved.stream().mapToLong(Story::waitedAtMove).min().orElse(-1), waitedMax);

        assertTrue(
                movedTwice.isEmpty(),
                "moved twice: " + movedTwice.stream().map(s -> s.call().id()).toList());
        assertTrue(
                movedLate.isEmpty(),
                "moved at " + MAX_WAIT_S + " s (+1 s): "
                        + movedLate.stream()
                                .map(s -> s.call().id() + " at " + s.waitedAtMove() + " s")
                                .toList());
        assertTrue(
                answeredLate.isEmpty(),
                "answered by an agent long after the threshold without a move: " + answeredLate);
        // Callers hold 12 s, far beyond the 5 s threshold: each one who hung up unmoved would be a caller we failed.
        assertTrue(hungUpFirst.isEmpty(), hungUpFirst.size() + " callers hung up before a move (listed above)");
        assertTrue(
                movedUnanswered.isEmpty(),
                "moved but not answered by the answering service: "
                        + movedUnanswered.stream().map(s -> s.call().id()).toList());
        assertTrue(moved.size() > CALLS / 2, "the queue saturated, most callers were moved: " + moved.size());
        var metrics = get(node.httpPort(), "/metrics", null).body();
        assertEquals(
                moved.size(),
                metric(metrics, "switchboard_overflow_moves_total{reason=\"WAIT\"}"),
                "one Redirect per moved caller: " + metrics);
    }
}
