package switchboard.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import switchboard.common.DecisionLogic;
import switchboard.lead.LeadSource;

/**
 * The single place that decides which due callback attempts may dial now, for one PBX trunk. Pure: what is due
 * and what the PBX looks like right now go in; the attempts to release, the backlog and why the rest wait come
 * out. It never drops an attempt and never releases more than the limits allow; what it holds back it reports.
 *
 * <ul>
 *   <li><b>Inbound reserve</b>: while an inbound caller has waited longer than {@code inboundReserveWait}, no
 *       callback is released — the CSRs are needed for the people calling in.
 *   <li><b>Channels</b>: live callback channels never exceed {@code maxConcurrent}.
 *   <li><b>Rate</b>: at most {@code maxAttemptsPerSecond} Originates per second (a token bucket, burst = one
 *       second's worth, at least 1).
 *   <li><b>Agents</b>: {@link Release#WHEN_AGENT_FREE} releases one attempt per free CSR in the callback queue not
 *       already promised to a ringing callback; {@link Release#CUSTOMER_FIRST} dials the customer first and may
 *       overshoot the free CSRs by {@code overshoot}; {@link Release#AGENT_FIRST} rings the CSR first and is
 *       released like {@code WHEN_AGENT_FREE}.
 * </ul>
 * Order among due attempts: emergency (the lead's qualification says urgency EMERGENCY), callback requested by the
 * caller or a person, paid sources (LSA, PPC), repeat customers, then the oldest miss first.
 */
@DecisionLogic
public final class Governor {
    /**
     * WHEN_AGENT_FREE: dial the customer once a CSR is free; CUSTOMER_FIRST: dial the customer, overshooting the free
     * CSRs by at most {@code overshoot}; AGENT_FIRST: ring a free CSR first and dial the customer once they answered
     * (released like WHEN_AGENT_FREE, never overshooting).
     */
    public enum Release {
        WHEN_AGENT_FREE,
        CUSTOMER_FIRST,
        AGENT_FIRST
    }

    /** Why due attempts are still waiting (the first limit that stopped the release). */
    public enum Hold {
        NONE,
        INBOUND_RESERVE,
        CHANNELS,
        RATE,
        AGENTS
    }

    public record Limits(
            int maxConcurrent,
            double maxAttemptsPerSecond,
            Release release,
            int overshoot,
            Duration inboundReserveWait) {
        public Limits {
            if (maxConcurrent < 1)
                throw new IllegalArgumentException("max concurrent callbacks must be at least 1, got " + maxConcurrent);
            if (!(maxAttemptsPerSecond > 0))
                throw new IllegalArgumentException(
                        "max attempts per second must be positive, got " + maxAttemptsPerSecond);
            if (overshoot < 0) throw new IllegalArgumentException("overshoot must not be negative, got " + overshoot);
            if (release == null || inboundReserveWait == null || inboundReserveWait.isNegative())
                throw new IllegalArgumentException("release mode and inbound reserve wait are required");
        }
    }

    /**
     * The trunk right now. {@code liveCallbacks}: callback channels dialling or up; {@code freeAgents}: CSRs in the
     * callback queue free now; {@code agentsPromised}: released callbacks still ringing the customer (each will need
     * one of the free CSRs); {@code longestInboundWait}: the longest wait of an inbound caller in a queue now.
     */
    public record Snapshot(int liveCallbacks, int freeAgents, int agentsPromised, Duration longestInboundWait) {}

    /** One due attempt and what ranks it. */
    public record Due(
            String attemptId,
            Instant dueAt,
            Instant missedAt,
            boolean emergency,
            boolean callbackRequested,
            LeadSource source,
            boolean repeatCustomer) {
        int rank() {
            if (emergency) return 0;
            if (callbackRequested) return 1;
            if (source == LeadSource.LSA || source == LeadSource.PPC) return 2;
            if (repeatCustomer) return 3;
            return 4;
        }
    }

    /** The attempts to dial now, in order; {@code backlog}: due attempts left waiting, and why. */
    public record Decision(List<Due> release, int backlog, Hold hold) {}

    /** Originates per second: a token bucket on the caller's clock. Mutable; one per trunk, owned by one actor. */
    public static final class RateBucket {
        private final double perSecond;
        private final double burst;
        private double tokens;
        private Instant at;

        public RateBucket(double perSecond, Instant now) {
            this.perSecond = perSecond;
            this.burst = Math.max(1, perSecond);
            this.tokens = burst;
            this.at = now;
        }

        void refill(Instant now) {
            if (now.isAfter(at)) {
                tokens = Math.min(
                        burst, tokens + perSecond * Duration.between(at, now).toNanos() / 1e9);
                at = now;
            }
        }

        boolean take() {
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }

        /** When the next token is there (for scheduling the next decision). */
        public Instant nextTokenAt() {
            if (tokens >= 1) return at;
            return at.plusNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
        }
    }

    static final Comparator<Due> ORDER = Comparator.comparingInt(Due::rank)
            .thenComparing(Due::missedAt)
            .thenComparing(Due::dueAt)
            .thenComparing(Due::attemptId);

    private final Limits limits;

    public Governor(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** Decides at {@code now}; takes tokens from {@code rate} for what it releases. */
    public Decision decide(List<Due> due, Snapshot pbx, RateBucket rate, Instant now) {
        var ready = new ArrayList<Due>();
        for (var d : due) if (!d.dueAt().isAfter(now)) ready.add(d);
        if (ready.isEmpty()) return new Decision(List.of(), 0, Hold.NONE);
        ready.sort(ORDER);
        if (pbx.longestInboundWait().compareTo(limits.inboundReserveWait()) > 0)
            return new Decision(List.of(), ready.size(), Hold.INBOUND_RESERVE);

        int byChannels = Math.max(0, limits.maxConcurrent() - pbx.liveCallbacks());
        // Ringing callbacks already promised a CSR each; customer-first may promise up to `overshoot` more than there
        // are.
        int byAgents = Math.max(
                0,
                pbx.freeAgents()
                        - pbx.agentsPromised()
                        + (limits.release() == Release.CUSTOMER_FIRST ? limits.overshoot() : 0));
        rate.refill(now);
        var release = new ArrayList<Due>();
        Hold hold = Hold.NONE;
        for (var d : ready) {
            if (release.size() >= byChannels) {
                hold = Hold.CHANNELS;
                break;
            }
            if (release.size() >= byAgents) {
                hold = Hold.AGENTS;
                break;
            }
            if (!rate.take()) {
                hold = Hold.RATE;
                break;
            }
            release.add(d);
        }
        return new Decision(List.copyOf(release), ready.size() - release.size(), hold);
    }
}
