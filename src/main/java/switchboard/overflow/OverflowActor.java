package switchboard.overflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.CallEntity;
import switchboard.call.CallSignals;
import switchboard.call.PbxSignal;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;
import switchboard.lead.PhoneNumbers;
import switchboard.metrics.Metrics;

/**
 * Moves waiting callers of one PBX out of saturated queues: every {@code poll} it looks at the live queues, lets
 * {@link OverflowRules} pick who should move, looks up the call (lead source, for the policy's source filter and
 * the CSR's context) and the lead (prior calls), sets the context on the caller's channel and redirects them; a
 * move that the PBX accepted is recorded on the call ({@link PbxSignal.Rerouted}). At most
 * {@code max-moves-per-second}; a caller leaves a queue by overflow once. A caller who accepts the callback
 * offer gets a {@code CALLBACK_REQUESTED} recovery. Never blocks.
 */
public final class OverflowActor extends AbstractBehavior<OverflowActor.Command> {
    private static final Logger log = LoggerFactory.getLogger(OverflowActor.class);
    private static final Duration ASK = Duration.ofSeconds(3);
    private static final Duration FORGET_MOVES_AFTER = Duration.ofHours(6);
    private static final int MAX_FAILURES = 3;

    /**
     * {@code policies}: by queue, shared with the API, which replaces them at run time (a concurrent map: read on
     * every look at the queues, so a change takes effect within one {@code poll}).
     */
    public record Setup(
            String pbxId,
            OverflowSettings settings,
            ZoneId contractorZone,
            OverflowPbx pbx,
            CallSignals signals,
            Clock clock,
            Metrics metrics,
            Map<String, OverflowPolicy> policies) {}

    public sealed interface Command {}

    private enum Tick implements Command {
        INSTANCE
    }

    private record CallLooked(OverflowRules.Move move, CallEntity.State call, Throwable failure) implements Command {}

    private record LeadLooked(OverflowRules.Move move, CallEntity.State call, LeadEntity.State lead)
            implements Command {}

    private record Moved(OverflowRules.Move move, String error) implements Command {}

    private record Offer(OverflowPbx.OfferAnswer answer) implements Command {}

    /** Starts the mover of {@code setup.pbxId()} as a cluster singleton, like the callback governor: a caller is never moved by two nodes at once. */
    public static ActorRef<Command> startSingleton(ActorSystem<?> system, Setup setup) {
        return ClusterSingleton.get(system).init(SingletonActor.of(create(setup), "overflow-" + setup.pbxId()));
    }

    public static Behavior<Command> create(Setup setup) {
        return Behaviors.supervise(
                        Behaviors.<Command>setup(ctx -> Behaviors.withTimers(t -> new OverflowActor(ctx, t, setup))))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2));
    }

    private final Setup setup;
    private final OverflowRules rules;
    private final ClusterSharding sharding;
    private final Map<String, OverflowPolicy> policies;
    /** Callers moved out of a queue (OverflowRules.key) and when. */
    private final Map<String, Instant> moved = new HashMap<>();
    /** Moves under way, and callers the policy does not apply to (their source is filtered out). */
    private final Set<String> busy = new HashSet<>();

    private final Map<String, OverflowPolicy> notForThisPolicy = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private double tokens;
    private Instant tokensAt;

    private OverflowActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Setup setup) {
        super(ctx);
        this.setup = setup;
        this.rules = new OverflowRules(setup.settings().ringGrace());
        this.sharding = ClusterSharding.get(ctx.getSystem());
        this.policies = setup.policies();
        this.tokens = Math.max(1, setup.settings().maxMovesPerSecond());
        this.tokensAt = setup.clock().instant();
        var self = ctx.getSelf();
        setup.pbx().offers(a -> self.tell(new Offer(a)));
        timers.startTimerWithFixedDelay(Tick.INSTANCE, setup.settings().poll());
        log.info(
                "Overflow for {} running: {} queue policies, at most {} moves/s",
                setup.pbxId(),
                policies.size(),
                setup.settings().maxMovesPerSecond());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(CallLooked.class, this::onCallLooked)
                .onMessage(LeadLooked.class, this::onLeadLooked)
                .onMessage(Moved.class, this::onMoved)
                .onMessage(Offer.class, this::onOffer)
                .build();
    }

    private boolean takeToken(Instant now) {
        double perSecond = setup.settings().maxMovesPerSecond();
        tokens = Math.min(
                Math.max(1, perSecond),
                tokens + perSecond * Duration.between(tokensAt, now).toNanos() / 1e9);
        tokensAt = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    private Behavior<Command> onTick() {
        Instant now = setup.clock().instant();
        moved.values().removeIf(t -> t.isBefore(now.minus(FORGET_MOVES_AFTER)));
        if (!setup.pbx().connected() || policies.isEmpty()) return this;
        var skip = new HashSet<String>(moved.keySet());
        skip.addAll(busy);
        // filtered out by a policy's sources: only while that policy is still the one in force
        notForThisPolicy
                .entrySet()
                .removeIf(e -> policies.get(e.getKey().substring(e.getKey().lastIndexOf('@') + 1)) != e.getValue());
        skip.addAll(notForThisPolicy.keySet());
        for (var e : failures.entrySet()) if (e.getValue() >= MAX_FAILURES) skip.add(e.getKey());
        for (var view : setup.pbx().queues()) {
            var policy = policies.get(view.queue());
            if (policy == null) continue;
            for (var move : rules.decide(view, policy, now, setup.contractorZone(), skip)) {
                if (!takeToken(now)) return this; // the rest wait for the next tick
                String key = OverflowRules.key(move.caller().uniqueId(), move.fromQueue());
                busy.add(key);
                String callId = CallEntity.callId(setup.pbxId(), move.caller().linkedId());
                getContext()
                        .pipeToSelf(setup.signals().get(callId, ASK), (call, err) -> new CallLooked(move, call, err));
            }
        }
        return this;
    }

    private Behavior<Command> onCallLooked(CallLooked m) {
        var move = m.move();
        // Without the call (slow journal) the caller is still moved: a move matters more than its context.
        var call = m.failure() == null ? m.call() : null;
        LeadSource source = call == null ? null : call.source();
        var policy = policies.get(move.fromQueue());
        String key = OverflowRules.key(move.caller().uniqueId(), move.fromQueue());
        if (policy == null || !policy.appliesTo(source)) {
            busy.remove(key);
            if (policy != null) notForThisPolicy.put(key, policy);
            return this;
        }
        if (call == null || call.lead() == null || call.lead().phoneNumber() == null) {
            getContext().getSelf().tell(new LeadLooked(move, call, null));
            return this;
        }
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, call.lead().leadId());
        getContext()
                .pipeToSelf(
                        lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK),
                        (st, err) -> new LeadLooked(move, call, err == null ? st : null));
        return this;
    }

    private Behavior<Command> onLeadLooked(LeadLooked m) {
        var move = m.move();
        var c = move.caller();
        Instant now = setup.clock().instant();
        var ctx = CsrContext.of(m.call(), m.lead(), move, c.waited(now));
        var pbxMove = setup.pbx()
                .move(
                        c.uniqueId(),
                        move.fromQueue(),
                        c.channel(),
                        m.call() == null ? null : m.call().did(),
                        ctx.variables(),
                        move.to());
        getContext().pipeToSelf(pbxMove, (err, failure) -> new Moved(move, failure != null ? failure.toString() : err));
        return this;
    }

    private Behavior<Command> onMoved(Moved m) {
        var move = m.move();
        var c = move.caller();
        String key = OverflowRules.key(c.uniqueId(), move.fromQueue());
        busy.remove(key);
        Instant now = setup.clock().instant();
        if (m.error() != null && m.error().startsWith("Redirect")
                || m.error() != null && m.error().startsWith("not sent")
                || "no AMI link".equals(m.error())) {
            failures.merge(key, 1, Integer::sum);
            log.warn(
                    "Overflow: moving caller {} out of {} failed: {}",
                    PhoneNumbers.mask(c.callerIdNum()),
                    move.fromQueue(),
                    m.error());
            return this;
        }
        if (m.error() != null)
            log.warn(
                    "Overflow: caller {} moved, but some context was not set: {}",
                    PhoneNumbers.mask(c.callerIdNum()),
                    m.error());
        moved.put(key, now);
        failures.remove(key);
        long waited = c.waited(now).toSeconds();
        setup.signals()
                .deliver(new PbxSignal.Rerouted(
                        setup.pbxId(),
                        c.linkedId(),
                        now,
                        move.fromQueue(),
                        move.to().text(),
                        move.reason().name(),
                        waited));
        setup.metrics()
                .counter(
                        "switchboard_overflow_moves_total",
                        "Callers moved out of a queue by overflow, by reason",
                        "reason",
                        move.reason().name())
                .increment();
        log.info(
                "Overflow: caller {} moved from {} to {} after {} s ({})",
                PhoneNumbers.mask(c.callerIdNum()),
                move.fromQueue(),
                move.to().text(),
                waited,
                move.reason());
        return this;
    }

    private Behavior<Command> onOffer(Offer m) {
        var a = m.answer();
        setup.metrics()
                .counter(
                        "switchboard_overflow_offers_total",
                        "Callback offers answered by callers, by answer",
                        "accepted",
                        Boolean.toString(a.accepted()))
                .increment();
        if (!a.accepted()) return this;
        // The request itself travels with the call (PbxSignal.CallbackChosen, in order with its hang-up): the call is
        // missed as CALLBACK_REQUESTED and its lead opens (or joins) a recovery that is due at once — exactly once,
        // even for a caller the lead does not know yet. Here it is only counted and logged.
        log.info("Overflow: caller {} accepted the callback offer", PhoneNumbers.mask(a.callerIdNum()));
        return this;
    }

    /** What the receiving CSR is told, as channel variables and the caller-name prefix. */
    record CsrContext(Map<String, String> variables) {
        static CsrContext of(CallEntity.State call, LeadEntity.State lead, OverflowRules.Move move, Duration waited) {
            var v = new LinkedHashMap<String, String>();
            LeadSource source = call == null || call.source() == null ? LeadSource.UNKNOWN : call.source();
            int prior = lead == null ? 0 : lead.missedCalls() + lead.answeredCalls();
            int priorMisses = lead == null ? 0 : lead.missedCalls();
            // "__": inherited by the agent leg that rings the receiving CSR, so it is on their channel too.
            if (call != null && call.lead() != null)
                v.put("__SB_LEAD_ID", call.lead().leadId());
            v.put("__SB_OVERFLOW_FROM", move.fromQueue());
            v.put("__SB_OVERFLOW_REASON", move.reason().name());
            v.put("__SB_WAIT", Long.toString(waited.toSeconds()));
            v.put("__SB_PRIOR_MISSES", Integer.toString(priorMisses));
            v.put("__SB_RETURNING", prior > 0 ? "yes" : "no");
            v.put("__SB_HOPS", Integer.toString((call == null ? 0 : call.hops().size()) + 1));
            v.put("CALLERID(name)", prefix(source, prior + 1));
            return new CsrContext(v);
        }

        /** e.g. "LSA 2nd call": the lead source and which call of theirs this is. */
        static String prefix(LeadSource source, int nth) {
            String suffix = (nth % 100 >= 11 && nth % 100 <= 13)
                    ? "th"
                    : switch (nth % 10) {
                        case 1 -> "st";
                        case 2 -> "nd";
                        case 3 -> "rd";
                        default -> "th";
                    };
            return (source == null || source == LeadSource.UNKNOWN ? "" : source.name() + " ") + nth + suffix + " call";
        }
    }
}
