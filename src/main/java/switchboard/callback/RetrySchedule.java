package switchboard.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import switchboard.common.DecisionLogic;

/**
 * When to try a callback again after an attempt that did not reach the customer, and when to stop. Pure and
 * deterministic: the jitter comes from a seed the caller passes (the recovery id and attempt number), so the
 * same history always gives the same schedule — the lead entity stores the decision in its event anyway.
 *
 * <p>Per outcome a list of delays for the 1st, 2nd, … retry; past the list each delay is the last one times
 * {@code backoffFactor}, capped at {@code maxDelay}; then ± {@code jitter} (a fraction). Caps: attempts per
 * recovery, and attempts per callee-local calendar day (a retry that would exceed it moves to the next local
 * midnight; the calling window then moves it on to the morning).
 */
@DecisionLogic
public final class RetrySchedule {
    /** How an attempt ended without reaching the customer. */
    public enum Outcome {
        BUSY,
        NO_ANSWER,
        FAILED,
        MACHINE
    }

    public record Policy(
            Map<Outcome, List<Duration>> delays,
            double backoffFactor,
            double jitter,
            Duration maxDelay,
            int maxAttempts,
            int maxAttemptsPerDay) {
        public Policy {
            var copy = new EnumMap<Outcome, List<Duration>>(Outcome.class);
            for (var o : Outcome.values()) {
                var list = delays.get(o);
                if (list == null || list.isEmpty())
                    throw new IllegalArgumentException("retry delays for " + o + " are missing");
                for (var d : list)
                    if (d.isNegative() || d.isZero())
                        throw new IllegalArgumentException("retry delay for " + o + " must be positive, got " + d);
                copy.put(o, List.copyOf(list));
            }
            delays = Map.copyOf(copy);
            if (backoffFactor < 1)
                throw new IllegalArgumentException("backoff factor must be at least 1, got " + backoffFactor);
            if (jitter < 0 || jitter >= 1)
                throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
            if (maxAttempts < 1)
                throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
            if (maxAttemptsPerDay < 1)
                throw new IllegalArgumentException("max attempts per day must be at least 1, got " + maxAttemptsPerDay);
        }

        /** Production defaults: a busy line is tried again soon, no answer later, a machine much later. */
        public static Policy defaults() {
            return new Policy(
                    Map.of(
                            Outcome.BUSY,
                                    List.of(Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(30)),
                            Outcome.NO_ANSWER,
                                    List.of(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(2)),
                            Outcome.FAILED,
                                    List.of(Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30)),
                            Outcome.MACHINE, List.of(Duration.ofHours(1), Duration.ofHours(4))),
                    2.0,
                    0.1,
                    Duration.ofHours(6),
                    4,
                    3);
        }
    }

    /** What to do after an attempt. */
    public sealed interface Next {}

    /** Try again at {@code at} (before the calling window has its say). */
    public record RetryAt(Instant at, Duration delay) implements Next {}

    /** No more attempts: the cap is reached. */
    public record GiveUp(String why) implements Next {}

    private final Policy policy;

    public RetrySchedule(Policy policy) {
        this.policy = policy;
    }

    public Policy policy() {
        return policy;
    }

    /**
     * After attempt number {@code attempts} (1-based, the one that just ended with {@code outcome} at {@code now}).
     * {@code startedAt}: when every attempt of this recovery started (for the per-day cap).
     */
    public Next after(
            Outcome outcome, int attempts, List<Instant> startedAt, Instant now, ZoneId calleeZone, long seed) {
        if (attempts >= policy.maxAttempts())
            return new GiveUp(attempts + " attempts made (the cap is " + policy.maxAttempts() + ")");
        Duration delay = jittered(baseDelay(outcome, attempts), seed);
        Instant at = now.plus(delay);
        // Per callee-local day: if that day already had its share, the next local midnight.
        for (int guard = 0; guard < 30; guard++) {
            var day = at.atZone(calleeZone).toLocalDate();
            long sameDay = startedAt.stream()
                    .filter(s -> s.atZone(calleeZone).toLocalDate().equals(day))
                    .count();
            if (sameDay < policy.maxAttemptsPerDay()) return new RetryAt(at, Duration.between(now, at));
            at = day.plusDays(1).atStartOfDay(calleeZone).toInstant();
        }
        return new GiveUp("no day with room for another attempt");
    }

    Duration baseDelay(Outcome outcome, int attempts) {
        var list = policy.delays().get(outcome);
        if (attempts <= list.size()) return list.get(attempts - 1);
        double factor = Math.pow(policy.backoffFactor(), attempts - list.size());
        long ms = (long)
                Math.min(policy.maxDelay().toMillis(), list.get(list.size() - 1).toMillis() * factor);
        return Duration.ofMillis(ms);
    }

    private Duration jittered(Duration base, long seed) {
        if (policy.jitter() == 0) return base;
        double f = 1 + policy.jitter() * (new SplittableRandom(seed).nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * f)));
    }
}
