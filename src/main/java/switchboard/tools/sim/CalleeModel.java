package switchboard.tools.sim;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the customers the simulator is asked to call back behave: shares of answer / busy / no answer /
 * congestion / failure, how long they take to answer and how long they talk. Pure and seeded: the same seed,
 * number and attempt always give the same {@link Decision}, so a run can be replayed. A number can be pinned
 * to one behaviour for tests ({@link #pin}).
 */
public record CalleeModel(
        long seed,
        double answer,
        double busy,
        double noAnswer,
        double congestion,
        double failure,
        Duration answerMin,
        Duration answerMax,
        Duration talkMin,
        Duration talkMax,
        Duration busyDelay,
        Map<String, Decision> pinned) {

    /**
     * A callee's behaviour and the {@code OriginateResponse} Reason the real Asterisk 22.10.1 lab gave it over
     * PJSIP: 4 answered, 3 no answer — but 0 for busy (486) and congestion (503), not pbx_dial_reason's 5 / 8:
     * those two differ from a failure only by the channel's {@code Hangup} Cause (17 / 34, TechCause 486 / 503).
     */
    public enum Behaviour {
        ANSWER(4),
        BUSY(0),
        NO_ANSWER(3),
        CONGESTION(0),
        FAILURE(0);

        public final int reason;

        Behaviour(int reason) {
            this.reason = reason;
        }
    }

    /**
     * One callee's reaction: {@code delay} until it answers (ANSWER), rejects (BUSY, CONGESTION) or is found
     * unreachable (FAILURE); NO_ANSWER rings until the Originate's own Timeout. {@code talk} = time from the
     * answer to the callee's hang-up (ANSWER only).
     */
    public record Decision(Behaviour behaviour, Duration delay, Duration talk) {}

    public CalleeModel {
        double sum = answer + busy + noAnswer + congestion + failure;
        if (answer < 0 || busy < 0 || noAnswer < 0 || congestion < 0 || failure < 0 || sum <= 0)
            throw new IllegalArgumentException("callee shares must be >= 0 and not all 0");
        if (answerMax.compareTo(answerMin) < 0 || talkMax.compareTo(talkMin) < 0)
            throw new IllegalArgumentException("callee max durations must be >= min");
        pinned = Map.copyOf(pinned);
    }

    /**
     * Lab-like defaults: 60 % answer (after 2–12 s, talk 30–180 s), 15 % busy (after 0.2 s), 20 % no answer,
     * 3 % congestion, 2 % failure.
     */
    public static CalleeModel typical(long seed) {
        return new CalleeModel(
                seed,
                0.60,
                0.15,
                0.20,
                0.03,
                0.02,
                Duration.ofSeconds(2),
                Duration.ofSeconds(12),
                Duration.ofSeconds(30),
                Duration.ofSeconds(180),
                Duration.ofMillis(200),
                Map.of());
    }

    /** Every callee behaves the same way, with the given delay and talk time (tests). */
    public static CalleeModel always(Behaviour b, Duration delay, Duration talk) {
        return new CalleeModel(
                0,
                b == Behaviour.ANSWER ? 1 : 0,
                b == Behaviour.BUSY ? 1 : 0,
                b == Behaviour.NO_ANSWER ? 1 : 0,
                b == Behaviour.CONGESTION ? 1 : 0,
                b == Behaviour.FAILURE ? 1 : 0,
                delay,
                delay,
                talk,
                talk,
                delay,
                Map.of());
    }

    /** This model with {@code number} always behaving as {@code decision}. */
    public CalleeModel pin(String number, Decision decision) {
        var m = new java.util.HashMap<>(pinned);
        m.put(number, decision);
        return new CalleeModel(
                seed,
                answer,
                busy,
                noAnswer,
                congestion,
                failure,
                answerMin,
                answerMax,
                talkMin,
                talkMax,
                busyDelay,
                m);
    }

    /** The callee's reaction to the {@code attempt}-th call (0, 1, …) to {@code number}. */
    public Decision decide(String number, int attempt) {
        var pin = pinned.get(number);
        if (pin != null) return pin;
        var r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ number.hashCode() * 31L + attempt);
        double x = r.nextDouble() * (answer + busy + noAnswer + congestion + failure);
        if ((x -= answer) < 0)
            return new Decision(Behaviour.ANSWER, between(r, answerMin, answerMax), between(r, talkMin, talkMax));
        if ((x -= busy) < 0) return new Decision(Behaviour.BUSY, busyDelay, Duration.ZERO);
        if ((x -= noAnswer) < 0) return new Decision(Behaviour.NO_ANSWER, Duration.ZERO, Duration.ZERO);
        if ((x -= congestion) < 0) return new Decision(Behaviour.CONGESTION, busyDelay, Duration.ZERO);
        return new Decision(Behaviour.FAILURE, Duration.ofMillis(6), Duration.ZERO);
    }

    private static Duration between(SplittableRandom r, Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return span <= 0 ? min : min.plusMillis(r.nextLong(span + 1));
    }
}
