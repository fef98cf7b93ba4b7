package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Arrivals, paths and callers on virtual time (the {@link ArrivalSchedule} the driver uses). */
class TrafficModelTest {
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final Instant NOON = Instant.parse("2026-07-01T16:00:00Z"); // 12:00 in New York
    private static final Set<String> MISSED_IN_QUEUE =
            Set.of("queue-abandon", "short-abandon", "queue-timeout-voicemail");
    private static final Set<String> QUEUE =
            Set.of("queue-answered", "queue-abandon", "short-abandon", "queue-timeout-voicemail");

    private record Call(Instant at, String path, String caller) {}

    private static List<Call> calls(TrafficModel.Profile profile, long seed, Instant start, int n) {
        var model = new TrafficModel(profile, seed, ZONE);
        var schedule = new ArrivalSchedule(model, start);
        var out = new ArrayList<Call>(n);
        for (int i = 0; i < n; i++) {
            Instant at = schedule.advance();
            out.add(new Call(at, model.nextPath(at), model.nextCaller()));
        }
        return out;
    }

    private static double share(List<Call> calls, Set<String> of, Set<String> among) {
        long base = calls.stream().filter(c -> among.contains(c.path())).count();
        return (double) calls.stream().filter(c -> of.contains(c.path())).count() / base;
    }

    @Test
    void sameSeedGivesTheSameCallsInTheSameOrder() {
        var p = TrafficModel.peakSeason();
        var a = calls(p, 7, NOON, 3_000);
        assertEquals(a, calls(p, 7, NOON, 3_000));
        assertNotEquals(a, calls(p, 8, NOON, 3_000));
    }

    @Test
    void everyPathIsARecordedCall() {
        var recorded = CallTemplate.loadAll().keySet();
        for (String name : TrafficModel.NAMES) {
            var paths = calls(TrafficModel.named(name).withRate(20), 1, NOON, 20_000).stream()
                    .map(Call::path)
                    .distinct()
                    .toList();
            assertTrue(recorded.containsAll(paths), name + ": " + paths);
            assertTrue(paths.contains("queue-answered") && paths.contains("direct-busy"), name + ": " + paths);
        }
    }

    @Test
    void peakSeasonMissesFarMoreQueueCallsThanANormalDay() {
        double normal = share(calls(TrafficModel.normalDay().withRate(20), 1, NOON, 30_000), MISSED_IN_QUEUE, QUEUE);
        double peak = share(calls(TrafficModel.peakSeason().withRate(20), 1, NOON, 30_000), MISSED_IN_QUEUE, QUEUE);
        assertTrue(normal < 0.10, "normal-day queue misses " + normal);
        assertTrue(peak > 0.35, "peak-season queue misses " + peak);
    }

    @Test
    void aSpikeTriplesArrivalsAndRaisesTheAbandonShare() {
        // normal-day at 10 calls/s; three times that from minute 10 for 5 minutes, which nobody staffed for.
        var p = TrafficModel.normalDay().withRate(10).withSpike(new TrafficModel.Spike(3, 600, 300));
        var calls = calls(p, 3, NOON, 30_000);
        var before = calls.stream().filter(c -> secondsIn(c) < 600).toList();
        var during = calls.stream()
                .filter(c -> secondsIn(c) >= 600 && secondsIn(c) < 900)
                .toList();
        var after = calls.stream()
                .filter(c -> secondsIn(c) >= 1200 && secondsIn(c) < 1500)
                .toList();
        assertEquals(6_000, before.size(), 300);
        assertEquals(9_000, during.size(), 400);
        assertEquals(3_000, after.size(), 250, "back to the base rate after the spike");
        double missedBefore = share(before, MISSED_IN_QUEUE, QUEUE);
        double missedDuring = share(during, MISSED_IN_QUEUE, QUEUE);
        assertTrue(
                missedDuring > 0.3 && missedDuring > 4 * missedBefore,
                "queue misses before " + missedBefore + ", during the spike " + missedDuring);
        assertTrue(share(during, Set.of("queue-abandon"), QUEUE) > 3 * share(before, Set.of("queue-abandon"), QUEUE));
    }

    @Test
    void fewerAgentsThanTheFloorNeedsHurt() {
        var p = TrafficModel.normalDay().withRate(10);
        int sized = new TrafficModel(p, 1, ZONE).agents();
        assertEquals((int) Math.ceil(10 * 0.8 * 180 / 0.85), sized, "offered Erlangs / target occupancy");
        double missed = share(calls(p.withAgents(sized / 2), 1, NOON, 20_000), MISSED_IN_QUEUE, QUEUE);
        assertTrue(missed > 0.3, "half the floor: queue misses " + missed);
    }

    @Test
    void businessDayIsClosedAtNightAndBusiestLateMorning() {
        var p = TrafficModel.businessDay().withRate(10);
        var night = calls(p, 1, Instant.parse("2026-07-01T07:00:00Z"), 500); // 03:00 in New York
        assertTrue(night.stream().allMatch(c -> c.path().equals("after-hours")));
        var day = calls(p, 1, Instant.parse("2026-07-01T14:00:00Z"), 5_000); // 10:00: 1.4 × the base rate
        assertTrue(day.stream().noneMatch(c -> c.path().equals("after-hours")));
        double rate = day.size()
                / (Duration.between(
                                        Instant.parse("2026-07-01T14:00:00Z"),
                                        day.get(day.size() - 1).at())
                                .toNanos()
                        / 1e9);
        assertEquals(14, rate, 0.6);
    }

    @Test
    void repeatCallersCallAgain() {
        var callers = calls(TrafficModel.peakSeason(), 1, NOON, 2_000).stream()
                .map(Call::caller)
                .toList();
        double repeats = 1 - (double) callers.stream().distinct().count() / callers.size();
        assertEquals(0.30, repeats, 0.05);
    }

    private static double secondsIn(Call c) {
        return Duration.between(NOON, c.at()).toNanos() / 1e9;
    }
}
