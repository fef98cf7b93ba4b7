package switchboard.tools.stats;

import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * Latency samples of a load test or benchmark, in an HdrHistogram: its memory depends on the range and the
 * precision, not on the number of samples, and its percentiles are exact to three significant digits (the value
 * at a percentile is the highest value that is equivalent at that precision). The maximum is kept exactly.
 * Samples below 0 count as 0. Not thread-safe: record from one thread, or build it once the samples are in.
 */
public final class Latencies {
    /** Three significant digits: a percentile is off by at most 0.1 % (1 ms in a second). */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS); // auto-resizing: no upper bound to guess
    private long max;

    public static Latencies of(Collection<Long> values) {
        var l = new Latencies();
        for (long v : values) l.record(v);
        return l;
    }

    public static Latencies of(long... values) {
        var l = new Latencies();
        for (long v : values) l.record(v);
        return l;
    }

    public void record(long value) {
        long v = Math.max(0, value);
        histogram.recordValue(v);
        max = Math.max(max, v);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /**
     * The value at {@code percentile} (0–100) in the recorded unit: the smallest recorded value that at least that
     * share of the samples do not exceed, to three significant digits, never above the maximum; 0 when empty.
     */
    public long percentile(double percentile) {
        if (isEmpty()) return 0;
        return Math.min(max, histogram.getValueAtPercentile(percentile));
    }

    /** The largest sample, exactly; 0 when empty. */
    public long max() {
        return max;
    }
}
