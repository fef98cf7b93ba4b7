package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The driver offers the model's rate: arrivals keep their absolute times, so the time spent placing calls (and
 * late wake-ups) never stretches the gaps. Measured as placed calls against a wall-clock window, awaited.
 */
class TrafficDriverTest {
    private static final ZoneId ZONE = ZoneId.of("UTC");
    private static final long SEED = 5;

    /** When the n-th arrival is due after the start, from a twin model on virtual time (same seed, same draws). */
    private static double dueSeconds(TrafficModel.Profile profile, int n) {
        var twin = new TrafficModel(profile, SEED, ZONE);
        var schedule = new ArrivalSchedule(twin, Instant.EPOCH);
        Instant at = null;
        for (int i = 0; i < n; i++) {
            at = schedule.advance();
            twin.nextPath(at); // the model draws the path and the caller between gaps: so does the twin
            twin.nextCaller();
        }
        return Duration.between(Instant.EPOCH, at).toNanos() / 1e9;
    }

    /** Starts the driver and awaits n placed calls (deadline 30 s); returns the seconds that took. */
    private static double placeN(TrafficDriver driver, AtomicLong placed, int n) {
        long t0 = System.nanoTime();
        driver.start();
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        while (placed.get() < n && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000); // poll every 1 ms
        assertTrue(placed.get() >= n, "placed only " + placed.get() + " calls in 30 s");
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void assertOnSchedule(String what, int n, double due, double took, double slack, double wakeUp) {
        System.out.printf(
                "TrafficDriverTest %s: %d calls due in %.3f s, placed in %.3f s (%.1f calls/s)%n",
                what, n, due, took, n / took);
        assertTrue(
                took >= due - 0.005,
                what + ": " + n + " calls placed in " + took + " s, before they were due at " + due + " s");
        // At most a few percent late over the whole window, plus one late wake-up.
        assertTrue(
                took <= due * (1 + slack) + wakeUp,
                what + ": " + n + " calls placed in " + took + " s, due in " + due + " s ("
                        + String.format("%.1f", n / took) + " calls/s)");
    }

    @Test
    void offersTwoHundredCallsASecondEvenWhenPlacingACallTakesTime() {
        var profile = TrafficModel.peakSeason().withRate(200);
        int n = 800; // about four seconds
        double due = dueSeconds(profile, n);
        assertEquals(n / 200.0, due, n / 200.0 * 0.08, "the seeded arrivals themselves run at about 200/s");
        var placed = new AtomicLong();
        // Each placement takes 1 ms (a fifth of the mean gap), without using CPU: gaps measured from the end of
        // the last placement would give about 165 calls/s.
        TrafficDriver.Placer slow = (template, caller, start) -> {
            LockSupport.parkNanos(1_000_000);
            placed.incrementAndGet();
        };
        try (var driver = new TrafficDriver(slow, new TrafficModel(profile, SEED, ZONE), CallTemplate.loadAll())) {
            assertOnSchedule("200/s, 1 ms per placement", n, due, placeN(driver, placed, n), 0.03, 0.05);
            driver.stopPlacing();
            long stoppedAt = placed.get();
            // A check of absence, not a wait for something: 100 ms is some 20 arrivals at this rate, and none of
            // them is placed after stopPlacing() (one may have been in flight).
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            assertTrue(
                    placed.get() <= stoppedAt + 1,
                    "placed " + (placed.get() - stoppedAt) + " calls after stopPlacing()");
        }
    }

    @Test
    void offersTheRateIntoTheSimulator() throws Exception {
        var profile = TrafficModel.peakSeason().withRate(50);
        int n = 200; // about four seconds of real placements: recordings copied with fresh ids and queued to play
        double due = dueSeconds(profile, n);
        try (var pbx = new PbxSimulator("rate", "u", "s", null)) {
            var placed = new AtomicLong();
            TrafficDriver.Placer counting = (template, caller, start) -> {
                pbx.place(template, caller, start);
                placed.incrementAndGet();
            };
            try (var driver =
                    new TrafficDriver(counting, new TrafficModel(profile, SEED, ZONE), CallTemplate.loadAll())) {
                // Real copies cost CPU, which this shared 2-core box hands out unevenly: a looser bound here; the
                // schedule itself is held to 3 % above.
                assertOnSchedule("50/s into the simulator", n, due, placeN(driver, placed, n), 0.05, 0.1);
            }
            assertEquals(placed.get(), pbx.placed(), "every placement reached the simulator");
        }
    }
}
