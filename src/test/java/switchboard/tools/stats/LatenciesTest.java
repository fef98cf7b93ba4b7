package switchboard.tools.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    /** Within HdrHistogram's precision: three significant digits, never below the exact nearest-rank value. */
    private static void assertNear(long exact, long got) {
        assertTrue(
                got >= exact && got <= exact + Math.max(1, exact / 1000),
                "expected " + exact + " (+0.1 %), got " + got);
    }

    @Test
    void percentilesOfKnownData() {
        var values = new ArrayList<Long>();
        for (long ms = 1; ms <= 10_000; ms++) values.add(ms * 1_000_000); // 1 ms .. 10 s in nanoseconds
        Collections.shuffle(values, new Random(7));
        var l = Latencies.of(values);
        assertEquals(10_000, l.count());
        assertNear(5_000_000_000L, l.percentile(50));
        assertNear(9_500_000_000L, l.percentile(95));
        assertNear(9_900_000_000L, l.percentile(99));
        assertEquals(10_000_000_000L, l.max(), "the maximum is exact");
        assertEquals(l.max(), l.percentile(100));
    }

    @Test
    void smallSamplesGiveTheNearestRank() {
        var l = Latencies.of(3, 4, 40, 45, 48, 900); // ms: exact below 2048
        assertEquals(40, l.percentile(50));
        assertEquals(900, l.percentile(99));
        assertEquals(900, l.max());
        var one = Latencies.of(1234);
        assertEquals(1234, one.percentile(50));
        assertEquals(1234, one.percentile(99));
    }

    @Test
    void aSkewedTailIsSeen() {
        var l = new Latencies();
        for (int i = 0; i < 990; i++) l.record(10);
        for (int i = 0; i < 10; i++) l.record(5_000);
        assertEquals(10, l.percentile(50));
        assertEquals(10, l.percentile(99));
        assertNear(5_000, l.percentile(99.5));
    }

    @Test
    void emptyAndNegative() {
        var l = new Latencies();
        assertTrue(l.isEmpty());
        assertEquals(0, l.percentile(99));
        assertEquals(0, l.max());
        l.record(-5);
        assertEquals(1, l.count());
        assertEquals(0, l.max());
    }
}
