package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The queue/agent model on virtual time: deterministic, and it reacts to staffing and ring-outs as a queue does. */
class QueueModelTest {
    /** Comfortable defaults to vary one thing at a time: no ring-outs, no fast quitters, patient callers. */
    private static final QueueModel.Params BASE = new QueueModel.Params(null, 0.8, 120, 0.5, 2, 0, 15, 60, 0, 30);

    /** {@code n} Poisson arrivals at {@code rate}/s from a fixed seed (the same for every model compared). */
    private static List<Double> arrivals(double rate, int n) {
        var r = new Random(11);
        var out = new ArrayList<Double>(n);
        double t = 1_000;
        for (int i = 0; i < n; i++) out.add(t += -Math.log(1 - r.nextDouble()) / rate);
        return out;
    }

    private static List<QueueModel.Outcome> run(QueueModel.Params p, double rate, int n, long seed) {
        var q = new QueueModel(p, rate, seed);
        return arrivals(rate, n).stream().map(q::offer).toList();
    }

    private static Map<QueueModel.Result, Double> shares(List<QueueModel.Outcome> outcomes) {
        var m = new EnumMap<QueueModel.Result, Double>(QueueModel.Result.class);
        for (var r : QueueModel.Result.values()) m.put(r, 0.0);
        for (var o : outcomes) m.merge(o.result(), 1.0 / outcomes.size(), Double::sum);
        return m;
    }

    private static double meanWait(List<QueueModel.Outcome> outcomes) {
        return outcomes.stream()
                .mapToDouble(QueueModel.Outcome::waitSeconds)
                .average()
                .orElseThrow();
    }

    @Test
    void sameSeedGivesTheSameOutcomes() {
        var p = BASE.withOccupancy(1.5).withRingNoAnswer(0.2).withFastQuitShare(0.1);
        var a = run(p, 20, 5_000, 3);
        assertEquals(a, run(p, 20, 5_000, 3));
        assertNotEquals(a, run(p, 20, 5_000, 4));
    }

    @Test
    void agentsAreSizedFromOfferedErlangsOrGiven() {
        // 10 queue calls/s × 120 s = 1200 Erlangs; at 80 % occupancy: 1500 agents.
        assertEquals(1500, new QueueModel(BASE, 10, 1).agents());
        assertEquals(400, new QueueModel(BASE.withOccupancy(3), 10, 1).agents());
        assertEquals(7, new QueueModel(BASE.withAgents(7), 10, 1).agents());
        assertEquals(1, new QueueModel(BASE, 0.001, 1).agents(), "never fewer than one agent");
    }

    @Test
    void ampleAgentsAnswerNearlyEveryQueueCall() {
        var shares = shares(run(BASE.withOccupancy(0.5), 20, 20_000, 1));
        assertTrue(shares.get(QueueModel.Result.ANSWERED) > 0.99, shares.toString());
        // The shipped normal-day floor, fast quitters and ring-outs included, still answers nine in ten.
        var normal = shares(run(TrafficModel.normalDay().queue(), 50, 50_000, 1));
        assertTrue(normal.get(QueueModel.Result.ANSWERED) > 0.90, normal.toString());
    }

    @Test
    void threeTimesTheErlangsMakeAbandonsAndTimeoutsDominate() {
        var shares = shares(run(BASE.withOccupancy(3), 20, 50_000, 1));
        double missed = 1 - shares.get(QueueModel.Result.ANSWERED);
        assertTrue(missed > 0.6, shares.toString());
        // The floor is full: answered calls are what the agents can take, about a third of the offer.
        assertEquals(1 / 3.0, shares.get(QueueModel.Result.ANSWERED), 0.05, shares.toString());
        assertTrue(
                shares.get(QueueModel.Result.ABANDONED) > 0.1 && shares.get(QueueModel.Result.TIMEOUT) > 0.1,
                shares.toString());
    }

    @Test
    void ringNoAnswerLengthensTheWait() {
        var p = BASE.withAgents(10_000); // nobody waits for a free agent: the wait is pick-up plus ring-outs
        var clean = run(p, 20, 20_000, 5);
        var ringing = run(p.withRingNoAnswer(0.3), 20, 20_000, 5);
        assertTrue(clean.stream().allMatch(o -> o.ringOuts() == 0));
        // 0.3 / 0.7 ring-outs per call on average, 15 s each: about 6.4 s more.
        assertEquals(0.3 / 0.7 * 15, meanWait(ringing) - meanWait(clean), 1.0);
        assertTrue(
                shares(ringing).get(QueueModel.Result.ANSWERED) < shares(clean).get(QueueModel.Result.ANSWERED));
    }

    @Test
    void theQueueTimeoutSendsPatientCallersToVoicemailAndImpatientOnesAbandon() {
        var outcomes = run(BASE.withAgents(1).withHandleTime(600).withPatience(1e6), 1, 2_000, 2);
        for (var o : outcomes) {
            if (o.waitSeconds() >= 30) assertEquals(QueueModel.Result.TIMEOUT, o.result(), o.toString());
            else assertEquals(QueueModel.Result.ANSWERED, o.result(), o.toString());
        }
        assertTrue(shares(outcomes).get(QueueModel.Result.TIMEOUT) > 0.9);
        // Callers who all give up within seconds: short abandons, never a timeout or an abandon.
        var fast = shares(run(BASE.withAgents(1).withHandleTime(600).withFastQuitShare(1), 1, 2_000, 2));
        assertTrue(fast.get(QueueModel.Result.SHORT_ABANDON) > 0.9, fast.toString());
        assertEquals(
                0, fast.get(QueueModel.Result.ABANDONED) + fast.get(QueueModel.Result.TIMEOUT), 1e-9, fast.toString());
    }
}
