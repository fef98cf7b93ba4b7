package switchboard.callback;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import switchboard.lead.CallbackOutcome;
import switchboard.lead.RecoveryStatus;
import switchboard.metrics.Metrics;

/**
 * Callback metrics on /metrics: attempts due now, the backlog and why it waits, callbacks in flight, open recoveries, attempts by
 * outcome, recoveries closed without a call, and the time from the miss to the first attempt. Never blocks.
 */
public final class CallbackMetrics {
    private final Metrics metrics;
    private final Map<CallbackOutcome, Metrics.Counter> outcomes = new EnumMap<>(CallbackOutcome.class);
    private final Map<RecoveryStatus, Metrics.Counter> closed = new EnumMap<>(RecoveryStatus.class);
    private final Metrics.Counter attempts;
    private final Metrics.Histogram firstAttempt;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicInteger due = new AtomicInteger();
    private volatile Governor.Hold hold = Governor.Hold.NONE;

    public CallbackMetrics(Metrics metrics) {
        this.metrics = metrics;
        for (var o : CallbackOutcome.values())
            outcomes.put(
                    o,
                    metrics.counter(
                            "switchboard_callback_attempts_total",
                            "Callback attempts by outcome",
                            "outcome",
                            o.name()));
        for (var s :
                new RecoveryStatus[] {RecoveryStatus.DO_NOT_CALL, RecoveryStatus.UNREACHABLE, RecoveryStatus.CANCELLED
                }) {
            closed.put(
                    s,
                    metrics.counter(
                            "switchboard_callback_recoveries_closed_total",
                            "Recoveries the governor closed without a call",
                            "status",
                            s.name()));
        }
        attempts = metrics.counter("switchboard_callback_placed_total", "Callback Originates placed");
        firstAttempt = metrics.histogram(
                "switchboard_callback_first_attempt_seconds",
                "From the earliest miss of a recovery to its first callback attempt",
                1,
                5,
                15,
                30,
                60,
                120,
                300,
                600,
                1800,
                3600);
        metrics.gauge(
                "switchboard_callback_due",
                "Callback attempts due now and allowed to dial (released this instant or waiting for capacity)",
                due::get);
        metrics.gauge("switchboard_callback_backlog", "Due callback attempts waiting for capacity", backlog::get);
        metrics.gauge(
                "switchboard_callback_held_by",
                "Why due callbacks wait (Governor.Hold ordinal: 0 none, 1 inbound reserve, 2 channels, 3 rate, 4 agents)",
                () -> backlog.get() > 0 ? hold.ordinal() : 0);
    }

    void gauges(IntSupplier inFlight, IntSupplier open) {
        metrics.gauge(
                "switchboard_callback_in_flight", "Callback channels dialling or on the line", inFlight::getAsInt);
        metrics.gauge("switchboard_callback_open_recoveries", "Open recoveries the governor follows", open::getAsInt);
    }

    void backlog(int dueNow, int n, Governor.Hold why) {
        due.set(dueNow);
        backlog.set(n);
        hold = why;
    }

    void attempted() {
        attempts.increment();
    }

    void firstAttempt(Duration sinceMiss) {
        firstAttempt.observeSeconds(Math.max(0, sinceMiss.toNanos() / 1e9));
    }

    void outcome(CallbackOutcome o) {
        outcomes.get(o).increment();
    }

    void closed(RecoveryStatus s) {
        var c = closed.get(s);
        if (c != null) c.increment();
    }
}
