package switchboard.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The node's metrics, over the Prometheus Java client: one {@link PrometheusRegistry} per instance (per node), rendered
 * in the Prometheus text format. Features see only this class; {@code io.prometheus} stays in this package
 * (HouseRules). Counters and histograms are cheap enough for the AMI hot path (the client's counters are adders).
 *
 * <p>A registry of its own rather than the client's static default one: tests and tools start several nodes in one
 * JVM, and each node's /metrics must show its own counts (the default registry would also refuse the second node's
 * families as duplicates).
 */
public final class Metrics {
    /** The content type of {@link #render()}: {@code text/plain; version=0.0.4; charset=utf-8}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Map<String, io.prometheus.metrics.core.metrics.Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, io.prometheus.metrics.core.metrics.Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, GaugeWithCallback> gauges = new ConcurrentHashMap<>();

    /**
     * The JVM's and the process's metrics, registered once per JVM and shown by every node's registry: JvmMetrics keeps
     * each registry it registers with in a static set (and adds a GC listener for each), so registering it per node
     * would keep every closed node's registry, and what its gauges read, for the life of a JVM that starts many nodes.
     */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    /** The node's metrics: also the JVM's and the process's (memory, GC, threads, classes, buffer pools, CPU, file descriptors). */
    public static Metrics withJvmMetrics() {
        var m = new Metrics();
        m.registry.register((MultiCollector) Jvm.REGISTRY::scrape);
        return m;
    }

    /**
     * A counter, optionally with one label ({@code label} null: none). The same name (and label value) gives the same
     * counter. The name is the exposed series name, {@code _total} included.
     */
    public Counter counter(String name, String help, String label, String labelValue) {
        var family = counters.computeIfAbsent(name, n -> {
            var b = io.prometheus.metrics.core.metrics.Counter.builder()
                    .name(name)
                    .help(help);
            if (label != null) b.labelNames(label);
            return b.register(registry);
        });
        return new Counter(label == null ? family : family.labelValues(labelValue == null ? "" : labelValue));
    }

    public Counter counter(String name, String help) {
        return counter(name, help, null, null);
    }

    /** A gauge read at render time. Registering the name again replaces the earlier one (a restarted actor's). */
    public void gauge(String name, String help, DoubleSupplier value) {
        replaceGauge(
                name,
                GaugeWithCallback.builder()
                        .name(name)
                        .help(help)
                        .callback(cb -> cb.call(value.getAsDouble()))
                        .build());
    }

    /** A gauge with one label whose values are read at render time (e.g. one per PBX queue). */
    public void gauges(String name, String help, String label, Supplier<Map<String, Double>> values) {
        replaceGauge(
                name,
                GaugeWithCallback.builder()
                        .name(name)
                        .help(help)
                        .labelNames(label)
                        .callback(cb -> values.get().forEach((lv, v) -> cb.call(v, lv)))
                        .build());
    }

    private void replaceGauge(String name, GaugeWithCallback gauge) {
        gauges.compute(name, (n, old) -> {
            if (old != null) registry.unregister(old);
            registry.register(gauge);
            return gauge;
        });
    }

    /** A histogram with fixed buckets, in seconds (upper bounds, inclusive). The same name gives the same histogram. */
    public Histogram histogram(String name, String help, double... bucketsSeconds) {
        return new Histogram(histograms.computeIfAbsent(
                name,
                n -> io.prometheus.metrics.core.metrics.Histogram.builder()
                        .name(name)
                        .help(help)
                        .classicUpperBounds(bucketsSeconds)
                        .classicOnly()
                        .register(registry)));
    }

    /** Every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String render() {
        var out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One counter (one label value of a family). */
    public static final class Counter {
        private final CounterDataPoint point;

        Counter(CounterDataPoint point) {
            this.point = point;
        }

        public void increment() {
            point.inc();
        }

        public void add(long n) {
            point.inc(n);
        }

        public long sum() {
            return point.getLongValue();
        }
    }

    /** Fixed buckets, in seconds. */
    public static final class Histogram {
        private final io.prometheus.metrics.core.metrics.Histogram histogram;

        Histogram(io.prometheus.metrics.core.metrics.Histogram histogram) {
            this.histogram = histogram;
        }

        public void observeSeconds(double seconds) {
            histogram.observe(seconds);
        }
    }
}
