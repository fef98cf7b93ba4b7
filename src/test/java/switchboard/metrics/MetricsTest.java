package switchboard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.metric;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The facade over the Prometheus client: the names features give are the names exposed, and each node counts alone. */
class MetricsTest {
    @Test
    void countersKeepTheirTotalNameAndCount() {
        var m = new Metrics();
        var abandoned = m.counter("switchboard_calls_missed_total", "Missed calls by reason", "reason", "ABANDONED");
        abandoned.increment();
        m.counter("switchboard_calls_missed_total", "Missed calls by reason", "reason", "ABANDONED")
                .add(2);
        m.counter("switchboard_calls_missed_total", "Missed calls by reason", "reason", "QUEUE_TIMEOUT");
        m.counter("switchboard_calls_answered_total", "Answered calls");
        assertEquals(3, abandoned.sum(), "the same name and label value is the same counter");
        String text = m.render();
        assertTrue(text.contains("# TYPE switchboard_calls_missed_total counter\n"), text);
        assertTrue(text.contains("# HELP switchboard_calls_missed_total Missed calls by reason\n"), text);
        assertEquals(3, metric(text, "switchboard_calls_missed_total{reason=\"ABANDONED\"}"), text);
        assertEquals(
                0,
                metric(text, "switchboard_calls_missed_total{reason=\"QUEUE_TIMEOUT\"}"),
                "registered label values show at 0: " + text);
        assertEquals(
                0,
                metric(text, "switchboard_calls_answered_total"),
                "an unlabelled counter shows from the start: " + text);
    }

    @Test
    void gaugesAreReadAtRenderTimeAndTheLastRegistrationWins() {
        var m = new Metrics();
        var n = new AtomicInteger(2);
        m.gauge("switchboard_ami_tracked_calls", "Inbound calls the AMI translator is following", () -> 99);
        m.gauge(
                "switchboard_ami_tracked_calls",
                "Inbound calls the AMI translator is following",
                n::get); // a restarted actor registers again
        m.gauges(
                "switchboard_queue_waiting",
                "Callers waiting in each queue now",
                "queue",
                () -> Map.of("service", (double) n.get(), "sales", Double.NaN));
        n.set(5);
        String text = m.render();
        assertEquals(5, metric(text, "switchboard_ami_tracked_calls"), text);
        assertEquals(5, metric(text, "switchboard_queue_waiting{queue=\"service\"}"), text);
        assertTrue(
                Double.isNaN(metric(text, "switchboard_queue_waiting{queue=\"sales\"}"))
                        && text.contains("switchboard_queue_waiting{queue=\"sales\"} NaN\n"),
                text);
    }

    @Test
    void histogramBucketsAreUpperBoundsInclusiveAndCumulative() {
        var m = new Metrics();
        var h = m.histogram(
                "switchboard_miss_detection_seconds",
                "From the deciding PBX signal's time to the miss durably stored",
                0.001,
                0.5,
                1,
                5);
        h.observeSeconds(0.5);
        h.observeSeconds(0.7);
        h.observeSeconds(60);
        String text = m.render();
        assertTrue(text.contains("# TYPE switchboard_miss_detection_seconds histogram\n"), text);
        assertEquals(0, metric(text, "switchboard_miss_detection_seconds_bucket{le=\"0.001\"}"), text);
        assertEquals(1, metric(text, "switchboard_miss_detection_seconds_bucket{le=\"0.5\"}"), text);
        assertEquals(2, metric(text, "switchboard_miss_detection_seconds_bucket{le=\"1.0\"}"), text);
        assertEquals(3, metric(text, "switchboard_miss_detection_seconds_bucket{le=\"+Inf\"}"), text);
        assertEquals(3, metric(text, "switchboard_miss_detection_seconds_count"), text);
        assertEquals(61.2, metric(text, "switchboard_miss_detection_seconds_sum"), 1e-9, text);
    }

    @Test
    void eachInstanceIsARegistryOfItsOwn() {
        var a = new Metrics();
        var b = new Metrics();
        a.counter("switchboard_calls_started_total", "Inbound calls started").increment();
        b.counter(
                "switchboard_calls_started_total", "Inbound calls started"); // a second node in the same JVM: no clash
        assertEquals(1, metric(a.render(), "switchboard_calls_started_total"));
        assertEquals(0, metric(b.render(), "switchboard_calls_started_total"));
    }

    @Test
    void aNodesMetricsIncludeTheJvmsAndTheProcesss() {
        Metrics.withJvmMetrics(); // another node in the same JVM: both show the JVM's metrics (registered once per JVM)
        String text = Metrics.withJvmMetrics().render();
        for (String family : new String[] {
            "jvm_memory_used_bytes",
            "jvm_gc_collection_seconds",
            "jvm_threads_current",
            "jvm_threads_state",
            "jvm_classes_currently_loaded",
            "jvm_buffer_pool_used_bytes",
            "jvm_runtime_info",
            "process_cpu_seconds_total",
            "process_start_time_seconds"
        }) {
            assertTrue(text.contains("# TYPE " + family + " "), family + " missing:\n" + text);
        }
        assertFalse(new Metrics().render().contains("jvm_"), "a bare registry has only what was registered");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", Metrics.CONTENT_TYPE);
    }
}
