package switchboard.tools.sim;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * The call queue and its agents, as a first-come-first-served virtual-waiting-time simulation: on each arrival
 * the caller is given the agent that frees first; the caller's wait is the time until that agent is free, plus
 * the agent's pick-up delay, plus one ring cycle for every agent that rang out without answering
 * (ring-no-answer). Then:
 * <ul>
 *   <li>patience shorter than the wait (and than the queue timeout): the caller hangs up — a short abandon when
 *       under {@value #SHORT_ABANDON_SECONDS} s, else an abandon;</li>
 *   <li>a wait of at least the queue timeout (the dialplan's 30 s): the queue gives up, the caller goes to
 *       voicemail;</li>
 *   <li>otherwise answered: that agent is busy until answer + handle time.</li>
 * </ul>
 * Callers who leave never hold an agent, so an overloaded queue settles where the answered calls just fill the
 * agents. The agents start warm (the day is already going: each busy, with the offered load's probability, for
 * the rest of a handle time), so a short run does not open on an idle floor.
 *
 * <p>Approximation: the outcome only picks which recorded call is played ({@link TrafficModel}); the played
 * recording keeps its own timing (its queue wait and talk time), not the wait and handle time drawn here.
 *
 * <p>Not thread-safe; deterministic for a seed.
 */
public final class QueueModel {
    /** Callers who hang up sooner than this after joining are short abandons (Switchboard's rule). */
    public static final double SHORT_ABANDON_SECONDS = 10;
    /** Lognormal shape of ordinary callers' patience: few of them give up within 10 s, some wait long. */
    static final double PATIENCE_SIGMA = 0.7;

    /**
     * @param agents explicit agent count, or {@code null} to size the floor as offered Erlangs / target occupancy
     * @param targetOccupancy offered load per agent the floor is sized for (above 1: understaffed)
     * @param handleMeanSeconds mean handle time (lognormal)
     * @param handleSigma lognormal shape of the handle time (0: always the mean)
     * @param answerMeanSeconds mean time a free agent takes to pick up (exponential)
     * @param ringNoAnswerRate chance that an agent rings out unanswered, each time an agent is rung
     * @param ringCycleSeconds how long an agent rings before the queue tries again
     * @param patienceMeanSeconds mean patience of ordinary callers (lognormal, σ {@value #PATIENCE_SIGMA})
     * @param fastQuitShare share of callers who give up within seconds (uniform 1..10 s)
     * @param queueTimeoutSeconds the queue's maximum wait, then voicemail
     */
    public record Params(
            Integer agents,
            double targetOccupancy,
            double handleMeanSeconds,
            double handleSigma,
            double answerMeanSeconds,
            double ringNoAnswerRate,
            double ringCycleSeconds,
            double patienceMeanSeconds,
            double fastQuitShare,
            double queueTimeoutSeconds) {
        public Params {
            if (agents != null && agents < 1) throw new IllegalArgumentException("agents must be at least 1");
            if (targetOccupancy <= 0 || handleMeanSeconds <= 0 || patienceMeanSeconds <= 0 || queueTimeoutSeconds <= 0)
                throw new IllegalArgumentException(
                        "occupancy, handle time, patience and queue timeout must be positive");
            if (ringNoAnswerRate < 0 || ringNoAnswerRate >= 1 || fastQuitShare < 0 || fastQuitShare > 1)
                throw new IllegalArgumentException("rates must be within 0..1");
        }

        public Params withAgents(Integer n) {
            return new Params(
                    n,
                    targetOccupancy,
                    handleMeanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    ringNoAnswerRate,
                    ringCycleSeconds,
                    patienceMeanSeconds,
                    fastQuitShare,
                    queueTimeoutSeconds);
        }

        public Params withOccupancy(double o) {
            return new Params(
                    agents,
                    o,
                    handleMeanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    ringNoAnswerRate,
                    ringCycleSeconds,
                    patienceMeanSeconds,
                    fastQuitShare,
                    queueTimeoutSeconds);
        }

        public Params withHandleTime(double meanSeconds) {
            return new Params(
                    agents,
                    targetOccupancy,
                    meanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    ringNoAnswerRate,
                    ringCycleSeconds,
                    patienceMeanSeconds,
                    fastQuitShare,
                    queueTimeoutSeconds);
        }

        public Params withPatience(double meanSeconds) {
            return new Params(
                    agents,
                    targetOccupancy,
                    handleMeanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    ringNoAnswerRate,
                    ringCycleSeconds,
                    meanSeconds,
                    fastQuitShare,
                    queueTimeoutSeconds);
        }

        public Params withRingNoAnswer(double rate) {
            return new Params(
                    agents,
                    targetOccupancy,
                    handleMeanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    rate,
                    ringCycleSeconds,
                    patienceMeanSeconds,
                    fastQuitShare,
                    queueTimeoutSeconds);
        }

        public Params withFastQuitShare(double share) {
            return new Params(
                    agents,
                    targetOccupancy,
                    handleMeanSeconds,
                    handleSigma,
                    answerMeanSeconds,
                    ringNoAnswerRate,
                    ringCycleSeconds,
                    patienceMeanSeconds,
                    share,
                    queueTimeoutSeconds);
        }

        /** The agents on the floor for queue calls arriving at {@code queueCallsPerSecond}. */
        public int agentsFor(double queueCallsPerSecond) {
            if (agents != null) return agents;
            double erlangs = queueCallsPerSecond * handleMeanSeconds;
            return (int) Math.max(1, Math.ceil(erlangs / targetOccupancy));
        }
    }

    public enum Result {
        ANSWERED("queue-answered"),
        ABANDONED("queue-abandon"),
        SHORT_ABANDON("short-abandon"),
        TIMEOUT("queue-timeout-voicemail");

        /** The recorded call path ({@link CallTemplate}) this outcome plays. */
        public final String template;

        Result(String template) {
            this.template = template;
        }
    }

    /** A queue call's fate: {@code waitSeconds} is how long it would have waited for an answer. */
    public record Outcome(Result result, double waitSeconds, int ringOuts) {}

    private final Params params;
    private final int agents;
    private final double offeredLoad;
    private final Random random;
    private final PriorityQueue<Double> freeAt = new PriorityQueue<>();
    private boolean warm;

    /** {@code queueCallsPerSecond}: the rate the floor is sized (and warmed) for. */
    public QueueModel(Params params, double queueCallsPerSecond, long seed) {
        this.params = params;
        this.agents = params.agentsFor(queueCallsPerSecond);
        this.offeredLoad = queueCallsPerSecond * params.handleMeanSeconds() / agents;
        this.random = new Random(seed);
    }

    public int agents() {
        return agents;
    }

    /** Offered load per agent at the sizing rate (above 1: more work than the floor can take). */
    public double offeredLoad() {
        return offeredLoad;
    }

    /** A caller joins the queue at {@code atSeconds} (any monotonic clock, in seconds). */
    public Outcome offer(double atSeconds) {
        if (!warm) warmUp(atSeconds);
        double agentFree = freeAt.poll();
        double ringStart = Math.max(atSeconds, agentFree);
        int ringOuts = 0;
        while (ringOuts < 10 && random.nextDouble() < params.ringNoAnswerRate()) ringOuts++;
        double wait =
                ringStart - atSeconds + ringOuts * params.ringCycleSeconds() + exponential(params.answerMeanSeconds());
        double patience = random.nextDouble() < params.fastQuitShare()
                ? 1 + random.nextDouble() * (SHORT_ABANDON_SECONDS - 1)
                : lognormal(params.patienceMeanSeconds(), PATIENCE_SIGMA);
        if (patience < Math.min(wait, params.queueTimeoutSeconds())) {
            freeAt.add(agentFree);
            return new Outcome(
                    patience < SHORT_ABANDON_SECONDS ? Result.SHORT_ABANDON : Result.ABANDONED, wait, ringOuts);
        }
        if (wait >= params.queueTimeoutSeconds()) {
            freeAt.add(agentFree);
            return new Outcome(Result.TIMEOUT, wait, ringOuts);
        }
        freeAt.add(atSeconds + wait + handleTime());
        return new Outcome(Result.ANSWERED, wait, ringOuts);
    }

    private void warmUp(double now) {
        warm = true;
        for (int i = 0; i < agents; i++) {
            boolean busy = random.nextDouble() < offeredLoad;
            freeAt.add(busy ? now + handleTime() * random.nextDouble() : now);
        }
    }

    private double handleTime() {
        return lognormal(params.handleMeanSeconds(), params.handleSigma());
    }

    private double lognormal(double mean, double sigma) {
        if (sigma <= 0) return mean;
        double mu = Math.log(mean) - sigma * sigma / 2; // so that the mean is the one asked for
        return Math.exp(mu + sigma * random.nextGaussian());
    }

    private double exponential(double mean) {
        return mean <= 0 ? 0 : -Math.log(1 - random.nextDouble()) * mean;
    }
}
