package switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;

/**
 * The node stores PBX signals with at most {@code calls.max-signals-in-flight} writes at once, all calls together;
 * the rest wait their turn — each call's signals still in order, none lost.
 */
class CallSignalsLimitTest {
    private static final int CALLS = 300;
    private static final int LIMIT = 3;
    private static final Instant T0 = Instant.parse("2026-07-15T12:00:00Z");

    @Test
    void aBurstLargerThanTheLimitQueuesInOrderAndIsStoredWhole() throws Exception {
        var settings = TestNodes.settings(
                TestNodes.h2Url("signals-limit"), "sa", "switchboard.calls.max-signals-in-flight = " + LIMIT);
        assertEquals(LIMIT, settings.calls().maxSignalsInFlight());
        try (var node = Node.start(settings)) {
            var signals = node.signals();
            for (int i = 0; i < CALLS; i++) { // four signals per call, handed in at once: a burst of 1,200
                var id = "1800000000." + i;
                var at = T0.plusSeconds(i);
                signals.deliver(new PbxSignal.CallStarted(
                        "main", id, at, "+1919555" + String.format("%04d", i), null, "+18005550100", "LSA"));
                signals.deliver(new PbxSignal.QueueJoined("main", id, at.plusMillis(100), "service", 1));
                signals.deliver(new PbxSignal.HangupRequested("main", id, at.plusSeconds(20), 16));
                signals.deliver(new PbxSignal.Hangup("main", id, at.plusSeconds(20), 16));
            }
            TestNodes.await(Duration.ofSeconds(60), signals::pending, left -> left == 0);

            assertTrue(
                    signals.maxInFlightSeen() <= LIMIT,
                    "at most " + LIMIT + " at once, saw " + signals.maxInFlightSeen());
            assertTrue(
                    signals.maxInFlightSeen() >= 2, "different calls go in parallel, saw " + signals.maxInFlightSeen());
            var states = new ArrayList<CompletionStage<CallEntity.State>>();
            for (int i = 0; i < CALLS; i++) states.add(signals.get("main:1800000000." + i, Duration.ofSeconds(10)));
            for (int i = 0; i < CALLS; i++) {
                var s = states.get(i).toCompletableFuture().get();
                // In order: had the hang-up overtaken the start or the queue join, the call would not be an abandon.
                assertEquals(CallStatus.MISSED, s.status(), "call " + i);
                assertEquals(MissedReason.ABANDONED, s.missedReason(), "call " + i);
            }
        }
    }
}
