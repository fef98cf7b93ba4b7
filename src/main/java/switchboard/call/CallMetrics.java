package switchboard.call;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import switchboard.metrics.Metrics;

/** The call pipeline's metrics. Incremented from actors and the signal router; never blocks. */
public final class CallMetrics {
    private final Metrics metrics;
    private final Map<MissedReason, Metrics.Counter> missed = new EnumMap<>(MissedReason.class);
    private final Metrics.Counter answered;
    private final Metrics.Counter started;
    private final Metrics.Histogram detection;
    private final Metrics.Counter signalRetries;

    public CallMetrics(Metrics metrics) {
        this.metrics = metrics;
        for (var r : MissedReason.values())
            missed.put(
                    r, metrics.counter("switchboard_calls_missed_total", "Missed calls by reason", "reason", r.name()));
        answered = metrics.counter("switchboard_calls_answered_total", "Answered calls");
        started = metrics.counter("switchboard_calls_started_total", "Inbound calls started");
        detection = metrics.histogram(
                "switchboard_miss_detection_seconds",
                "From the deciding PBX signal's time to the miss durably stored",
                0.001,
                0.002,
                0.005,
                0.01,
                0.02,
                0.05,
                0.1,
                0.2,
                0.5,
                1,
                2,
                5);
        signalRetries = metrics.counter(
                "switchboard_pbx_signal_retries_total",
                "Signals resent because their call had not stored them in time");
    }

    void pendingSignals(java.util.function.LongSupplier pending) {
        metrics.gauge(
                "switchboard_pbx_signals_pending",
                "Signals handed to call entities and not yet acknowledged",
                pending::getAsLong);
    }

    void signalRetried() {
        signalRetries.increment();
    }

    public long signalRetries() {
        return signalRetries.sum();
    }

    public long answeredCount() {
        return answered.sum();
    }

    public long missedCount() {
        return missed.values().stream().mapToLong(Metrics.Counter::sum).sum();
    }

    /** "12 (ABANDONED 5, QUEUE_TIMEOUT 4, …)": the non-zero reasons, most first. */
    public String missedSummary() {
        var parts = missed.entrySet().stream()
                .filter(e -> e.getValue().sum() > 0)
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .map(e -> e.getKey().name() + " " + e.getValue().sum())
                .toList();
        return missedCount() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    void signal(PbxSignal s) {
        metrics.counter(
                        "switchboard_pbx_signals_total",
                        "PBX signals routed to call entities",
                        "type",
                        s.getClass().getSimpleName())
                .increment();
    }

    void started() {
        started.increment();
    }

    void answered() {
        answered.increment();
    }

    /** Sees every miss as it becomes durable (benchmarks). Called on the entity's thread: must not block. */
    public interface MissObserver {
        void stored(String callId, Instant missedAt, Instant storedAt);
    }

    private volatile MissObserver observer;

    public void observeMisses(MissObserver observer) {
        this.observer = observer;
    }

    void missed(String callId, MissedReason reason, Instant signalAt, Instant storedAt) {
        var o = observer;
        if (o != null) o.stored(callId, signalAt, storedAt);
        missed.get(reason).increment();
        if (signalAt != null)
            detection.observeSeconds(
                    Math.max(0, Duration.between(signalAt, storedAt).toNanos() / 1e9));
    }
}
