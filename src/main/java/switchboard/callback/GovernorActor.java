package switchboard.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import switchboard.lead.CallbackOutcome;
import switchboard.lead.LeadEntity;
import switchboard.lead.PhoneNumbers;
import switchboard.lead.RecoveryStatus;

/**
 * Runs the callbacks of one PBX: finds the open recoveries (the read side, polled), checks each due attempt
 * against the DNC list and the calling window, lets the {@link Governor} pick what may dial now, has the lead
 * store the attempt ({@link LeadEntity.StartAttempt}) and only then sends the Originate; settles every attempt
 * from what the PBX reports, with the {@link RetrySchedule}. Never blocks: every ask and query comes back as a
 * message. Every poll replaces what it knows of the open recoveries, so a change to one that is already pending — a
 * callback asked for, a qualification that now says EMERGENCY — re-ranks it at the next poll once the read side has
 * it. Supervised: after a crash it rebuilds from the leads' persisted state (the read side) and reconciles
 * attempts that were in flight instead of dialling them again.
 */
public final class GovernorActor extends AbstractBehavior<GovernorActor.Command> {
    private static final Logger log = LoggerFactory.getLogger(GovernorActor.class);
    private static final Duration ASK = Duration.ofSeconds(10);

    /** Everything the governor runs with. */
    public record Setup(
            String pbxId,
            String tenant,
            CallbackSettings settings,
            ZoneId contractorZone,
            CallbackPbx pbx,
            DncList dnc,
            OpenRecoveries openRecoveries,
            Clock clock,
            CallbackMetrics metrics) {}

    public sealed interface Command {}

    private enum Tick implements Command {
        INSTANCE
    }

    private record Loaded(List<PendingRecovery> open, Throwable failure) implements Command {}

    private record Started(PendingRecovery pending, LeadEntity.AttemptReply reply, Throwable failure)
            implements Command {}

    private record FromPbx(CallbackPbx.Event event) implements Command {}

    private record LeadState(
            String attemptId, CallbackOutcome outcome, Instant at, LeadEntity.State state, Throwable failure)
            implements Command {}

    private record Settled(String attemptId, LeadEntity.Ack ack, Throwable failure) implements Command {}

    /** Look at the open recoveries now (a manual callback request, a cancel). */
    public enum Poke implements Command {
        INSTANCE
    }

    /**
     * Starts the governor of {@code setup.pbxId()} as a cluster singleton: one per PBX in the whole cluster (each node
     * has its own AMI link to the PBX; the singleton uses the link of the node it runs on), so two nodes never pace
     * the same trunk twice.
     */
    public static ActorRef<Command> startSingleton(ActorSystem<?> system, Setup setup) {
        return ClusterSingleton.get(system).init(SingletonActor.of(create(setup), "callbacks-" + setup.pbxId()));
    }

    public static Behavior<Command> create(Setup setup) {
        return Behaviors.supervise(
                        Behaviors.<Command>setup(ctx -> Behaviors.withTimers(t -> new GovernorActor(ctx, t, setup))))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2));
    }

    /** A callback we dialled: on the line until the PBX says it ended. */
    private static final class Live {
        final LeadEntity.Attempt attempt;
        final String leadId;
        final String recoveryId;
        boolean answered;
        boolean connected;
        boolean settled;

        Live(LeadEntity.Attempt attempt, String leadId, String recoveryId) {
            this.attempt = attempt;
            this.leadId = leadId;
            this.recoveryId = recoveryId;
        }
    }

    private final Setup setup;
    private final CallbackSettings cfg;
    private final Governor governor;
    private final Governor.RateBucket rate;
    private final CallingWindow window;
    private final RetrySchedule retry;
    private final ClusterSharding sharding;
    private final Map<String, PendingRecovery> open = new HashMap<>();
    /** Recoveries with an ask to start in progress (not released twice while it runs). */
    private final Map<String, Instant> starting = new HashMap<>();

    private final Map<String, Live> live = new HashMap<>();
    /** Outcomes to store on the lead, retried until it acknowledged. */
    private final Map<String, CallbackOutcome> unsettled = new HashMap<>();
    /** Deferrals already told to the lead (recovery id → until), so they are not re-sent every tick. */
    private final Map<String, Instant> deferred = new HashMap<>();
    /** The attempt this governor last started for a recovery, and whether it has ended it. */
    static final class OurAttempt {
        final int attemptNo;
        final String attemptId;
        boolean ended;

        OurAttempt(int attemptNo, String attemptId) {
            this.attemptNo = attemptNo;
            this.attemptId = attemptId;
        }

        /**
         * Whether a read-side row is older than what we know: read before this attempt was stored, or still showing it in
         * flight after we ended it. The read side lags the leads; such a row must neither release the recovery again nor
         * be taken for an attempt left over from a crash (reconciling it would count it twice, as lost).
         */
        boolean staler(PendingRecovery row) {
            return row.attempts() < attemptNo || (ended && attemptId.equals(row.inFlight()));
        }
    }

    /** By recovery id; forgotten once the read side shows the attempt ended, or the recovery closed. */
    private final Map<String, OurAttempt> lastStarted = new HashMap<>();

    private boolean loading;
    private Instant lastLoad = Instant.EPOCH;

    private GovernorActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Setup setup) {
        super(ctx);
        this.setup = setup;
        this.cfg = setup.settings();
        this.governor = new Governor(cfg.limits());
        this.rate = new Governor.RateBucket(
                cfg.limits().maxAttemptsPerSecond(), setup.clock().instant());
        this.window = new CallingWindow(
                cfg.window(), new CallingWindow.BusinessHours(setup.contractorZone(), cfg.businessHours()));
        this.retry = new RetrySchedule(cfg.retry());
        this.sharding = ClusterSharding.get(ctx.getSystem());
        var self = ctx.getSelf();
        setup.pbx().events(e -> self.tell(new FromPbx(e)));
        timers.startTimerWithFixedDelay(
                Tick.INSTANCE, Duration.ofMillis(Math.min(250, cfg.poll().toMillis())));
        setup.metrics().gauges(() -> live.size(), () -> open.size());
        log.info(
                "Callback governor for {} running: at most {} channels, {}/s, {}",
                setup.pbxId(),
                cfg.limits().maxConcurrent(),
                cfg.limits().maxAttemptsPerSecond(),
                cfg.limits().release());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(Poke.INSTANCE, () -> {
                    lastLoad = Instant.EPOCH;
                    return onTick();
                })
                .onMessage(Loaded.class, this::onLoaded)
                .onMessage(Started.class, this::onStarted)
                .onMessage(FromPbx.class, m -> onPbx(m.event()))
                .onMessage(LeadState.class, this::onLeadState)
                .onMessage(Settled.class, this::onSettled)
                .build();
    }

    private Behavior<Command> onTick() {
        Instant now = setup.clock().instant();
        if (!loading && Duration.between(lastLoad, now).compareTo(cfg.poll()) >= 0) {
            loading = true;
            lastLoad = now;
            getContext().pipeToSelf(setup.openRecoveries().of(setup.tenant()), Loaded::new);
        }
        for (var e : List.copyOf(unsettled.entrySet())) settle(e.getKey(), e.getValue());
        release(now);
        return this;
    }

    private Behavior<Command> onLoaded(Loaded m) {
        loading = false;
        if (m.failure() != null) {
            log.warn(
                    "Callback governor for {}: open recoveries could not be read ({}); keeping the last list",
                    setup.pbxId(),
                    m.failure().toString());
            return this;
        }
        open.clear();
        for (var p : m.open()) open.put(p.recoveryId(), p);
        lastStarted.entrySet().removeIf(e -> {
            var row = open.get(e.getKey());
            return row == null || (row.attempts() >= e.getValue().attemptNo && row.inFlight() == null);
        });
        release(setup.clock().instant());
        return this;
    }

    /** The first attempt waits out the grace period after the earliest miss; a retry or a request waits for its time. */
    private Instant dueAt(PendingRecovery p) {
        // nextAttemptAt: a retry's time, or "now" for a requested callback (no grace period then)
        Instant due =
                p.nextAttemptAt() != null ? p.nextAttemptAt() : p.openedAt().plus(cfg.gracePeriod());
        if (p.deferredUntil() != null && p.deferredUntil().isAfter(due)) due = p.deferredUntil();
        return due;
    }

    private boolean busy(PendingRecovery p) {
        if (starting.containsKey(p.recoveryId())) return true;
        for (var l : live.values()) if (l.recoveryId.equals(p.recoveryId()) || l.leadId.equals(p.leadId())) return true;
        return false;
    }

    private void release(Instant now) {
        if (!setup.pbx().connected()) return; // nothing dials on a link that is down; nothing is lost either
        var due = new ArrayList<Governor.Due>();
        var byAttempt = new HashMap<String, PendingRecovery>();
        for (var p : List.copyOf(open.values())) {
            if (busy(p)) continue;
            var mine = lastStarted.get(p.recoveryId());
            if (mine != null && mine.staler(p)) continue; // the read side has not caught up with our last attempt
            if (p.inFlight() != null) {
                // In flight on the lead but not here: we crashed or restarted after it was stored. Asking to start it
                // again
                // gets InFlight back, which reconciles it with the PBX; nothing is dialled, so no capacity is needed.
                start(p, now);
                continue;
            }
            Instant at = dueAt(p);
            if (at.isAfter(now)) continue;
            if (p.number() == null) {
                close(p, RecoveryStatus.UNREACHABLE, "no number to call back", now);
                continue;
            }
            if (setup.dnc().contains(p.number())) {
                close(p, RecoveryStatus.DO_NOT_CALL, "on the do-not-call list", now);
                continue;
            }
            var verdict = window.check(p.number(), Optional.ofNullable(p.timeZone()), now);
            if (verdict.never()) {
                close(
                        p,
                        RecoveryStatus.UNREACHABLE,
                        "no allowed time to call within " + CallingWindow.HORIZON.toDays() + " days",
                        now);
                continue;
            }
            if (!verdict.now()) {
                defer(p, verdict.next(), verdict.block().name(), now);
                continue;
            }
            due.add(new Governor.Due(
                    p.recoveryId(), at, p.openedAt(), p.emergency(), p.requested(), p.source(), p.missCount() > 1));
            byAttempt.put(p.recoveryId(), p);
        }
        int promised = 0;
        for (var l : live.values()) if (!l.connected) promised++;
        int free = setup.pbx().freeMembers(cfg.queue());
        var snapshot = new Governor.Snapshot(
                live.size() + starting.size(),
                Math.max(0, free),
                promised + starting.size(),
                setup.pbx().longestInboundWait());
        var decision = governor.decide(due, snapshot, rate, now);
        setup.metrics().backlog(due.size(), decision.backlog(), decision.hold());
        for (var d : decision.release()) start(byAttempt.get(d.attemptId()), now);
    }

    private void start(PendingRecovery p, Instant now) {
        starting.put(p.recoveryId(), now);
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, p.leadId());
        getContext()
                .pipeToSelf(
                        lead.<LeadEntity.AttemptReply>ask(
                                r -> new LeadEntity.StartAttempt(p.recoveryId(), now, r), ASK),
                        (reply, err) -> new Started(p, reply, err));
    }

    private Behavior<Command> onStarted(Started m) {
        var p = m.pending();
        starting.remove(p.recoveryId());
        if (m.failure() != null) {
            log.warn(
                    "Callback for lead {}: the attempt could not be stored ({}); trying again",
                    PhoneNumbers.mask(p.number()),
                    m.failure().toString());
            return this;
        }
        if (m.reply() instanceof LeadEntity.Granted g) {
            var attempt = g.attempt();
            live.put(attempt.attemptId(), new Live(attempt, p.leadId(), p.recoveryId()));
            lastStarted.put(p.recoveryId(), new OurAttempt(attempt.attemptNo(), attempt.attemptId()));
            open.remove(p.recoveryId()); // its next state comes with the next read
            Duration since = Duration.between(p.openedAt(), attempt.startedAt());
            if (attempt.attemptNo() == 1) setup.metrics().firstAttempt(since);
            setup.metrics().attempted();
            var vars = new java.util.LinkedHashMap<String, String>();
            vars.put("SB_LEAD_ID", p.leadId());
            vars.put("SB_CALLBACK_ID", attempt.attemptId());
            vars.put("SB_SOURCE", p.source() == null ? "UNKNOWN" : p.source().name());
            vars.put("SB_QUEUE", cfg.queue());
            vars.put("SB_QUEUE_TIMEOUT", Long.toString(cfg.queueTimeout().toSeconds()));
            // What the CSR's phone shows when the callback rings them: source and how long ago they called.
            vars.put("SB_WHISPER", (p.source() == null ? "" : p.source().name() + " ") + "CB " + ago(since));
            if (cfg.amd()) vars.put("SB_AMD", "1");
            if (cfg.qualify()) {
                vars.put("SB_QUALIFY", "1");
                vars.put("SB_QUALIFY_ENTRY", "callback");
            }
            boolean agentFirst = cfg.limits().release() == Governor.Release.AGENT_FIRST;
            setup.pbx()
                    .originate(new CallbackPbx.Dial(
                            attempt.attemptId(),
                            attempt.channelId(),
                            cfg.dial().replace("{number}", g.number()),
                            cfg.callerId().isEmpty() ? null : cfg.callerId(),
                            cfg.ringTimeout(),
                            vars,
                            agentFirst));
            log.info(
                    "Callback {} to {} placed (attempt {}, {} after the miss)",
                    attempt.attemptId(),
                    PhoneNumbers.mask(g.number()),
                    attempt.attemptNo(),
                    ago(since));
        } else if (m.reply() instanceof LeadEntity.InFlight f) {
            // Stored before a crash, maybe dialled: never dial it again. Ask the PBX what became of its channel (live,
            // or its CDR record); the answer comes back as the usual events, or Vanished.
            var mine = lastStarted.get(p.recoveryId());
            if (mine != null && mine.ended && mine.attemptId.equals(f.attempt().attemptId())) {
                log.debug(
                        "Callback {}: ended here, its outcome is being stored; nothing to reconcile",
                        f.attempt().attemptId());
            } else if (!live.containsKey(f.attempt().attemptId())) {
                log.warn(
                        "Callback {} was in flight across a restart; reconciling it by its channel id, not dialling again",
                        f.attempt().attemptId());
                live.put(f.attempt().attemptId(), new Live(f.attempt(), p.leadId(), p.recoveryId()));
                setup.pbx().reconcile(f.attempt().attemptId(), f.attempt().channelId());
            }
        } else if (m.reply() instanceof LeadEntity.Refused r) {
            open.remove(p.recoveryId());
            log.debug("Callback for {} refused by the lead: {}", p.leadId(), r.why());
        }
        return this;
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
    }

    private Behavior<Command> onPbx(CallbackPbx.Event e) {
        var l = live.get(e.attemptId());
        if (l == null) return this;
        if (e instanceof CallbackPbx.Refused r) {
            log.warn("Callback {}: Originate refused by the PBX: {}", e.attemptId(), r.error());
            live.remove(e.attemptId());
            finish(e.attemptId(), CallbackOutcome.FAILED);
        } else if (e instanceof CallbackPbx.NotAnswered n) {
            live.remove(e.attemptId());
            finish(e.attemptId(), n.outcome());
        } else if (e instanceof CallbackPbx.Answered) {
            l.answered = true;
        } else if (e instanceof CallbackPbx.Machine mc) {
            // The PBX hangs up on the machine; the channel stays ours until its HungUp.
            log.info(
                    "Callback {} reached an answering machine ({}); retried on the machine schedule",
                    e.attemptId(),
                    mc.cause());
            finish(e.attemptId(), CallbackOutcome.MACHINE);
        } else if (e instanceof CallbackPbx.Connected) {
            l.connected = true;
            finish(e.attemptId(), CallbackOutcome.CONNECTED); // recovered now; the channel stays live until it hangs up
        } else if (e instanceof CallbackPbx.HungUp) {
            live.remove(e.attemptId());
            if (!l.connected && !l.settled) finish(e.attemptId(), CallbackOutcome.ANSWERED_NOT_CONNECTED);
        } else if (e instanceof CallbackPbx.Vanished) {
            live.remove(e.attemptId());
            finish(e.attemptId(), CallbackOutcome.LOST_IN_FLIGHT);
        }
        return this;
    }

    /** The attempt's outcome is known: store it on the lead (with the next attempt's time), until acknowledged. */
    private void finish(String attemptId, CallbackOutcome outcome) {
        var l = live.get(attemptId);
        if (l != null) {
            if (l.settled) return;
            l.settled = true;
        }
        setup.metrics().outcome(outcome);
        var mine = lastStarted.get(LeadEntity.recoveryIdOf(attemptId));
        if (mine != null && mine.attemptId.equals(attemptId)) mine.ended = true;
        unsettled.put(attemptId, outcome);
        settle(attemptId, outcome);
    }

    private void settle(String attemptId, CallbackOutcome outcome) {
        String leadId = attemptId.substring(0, attemptId.lastIndexOf('#'));
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        Instant now = setup.clock().instant();
        getContext()
                .pipeToSelf(
                        lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK),
                        (st, err) -> new LeadState(attemptId, outcome, now, st, err));
    }

    private Behavior<Command> onLeadState(LeadState m) {
        if (m.failure() != null || !unsettled.containsKey(m.attemptId())) return this; // retried on the next tick
        var r = m.state().recovery();
        if (r == null) {
            unsettled.remove(m.attemptId());
            return this;
        }
        var c = r.callbacks();
        Instant retryAt = null;
        String giveUp = null;
        if (m.outcome() != CallbackOutcome.CONNECTED) {
            ZoneId zone;
            if (m.state().timeZone() != null) {
                zone = ZoneId.of(m.state().timeZone());
            } else {
                var zones = CallingWindow.zonesOf(
                        m.state().identity() == null || m.state().identity().phoneNumber() == null
                                ? ""
                                : m.state().identity().phoneNumber());
                zone = zones.isEmpty() ? setup.contractorZone() : zones.get(0);
            }
            var next = retry.after(
                    outcomeFor(m.outcome()),
                    Math.max(1, c.attempts()),
                    c.attemptStarts(),
                    m.at(),
                    zone,
                    m.attemptId().hashCode());
            if (next instanceof RetrySchedule.RetryAt ra) retryAt = ra.at();
            else giveUp = ((RetrySchedule.GiveUp) next).why();
        }
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, m.state().leadId());
        final Instant retryFinal = retryAt;
        final String giveUpFinal = giveUp;
        getContext()
                .pipeToSelf(
                        lead.<LeadEntity.Ack>ask(
                                rr -> new LeadEntity.EndAttempt(
                                        r.recoveryId(),
                                        m.attemptId(),
                                        m.outcome(),
                                        m.at(),
                                        retryFinal,
                                        giveUpFinal,
                                        rr),
                                ASK),
                        (ack, err) -> new Settled(m.attemptId(), ack, err));
        return this;
    }

    private Behavior<Command> onSettled(Settled m) {
        if (m.failure() != null)
            return this; // still unsettled: the next tick sends it again (the lead ignores repeats)
        unsettled.remove(m.attemptId());
        var l = live.get(m.attemptId());
        if (l != null && !l.connected && !l.answered) live.remove(m.attemptId());
        lastLoad = Instant.EPOCH; // read the lead's new state soon
        return this;
    }

    static RetrySchedule.Outcome outcomeFor(CallbackOutcome o) {
        return switch (o) {
            case BUSY -> RetrySchedule.Outcome.BUSY;
            case MACHINE -> RetrySchedule.Outcome.MACHINE;
            case FAILED, LOST_IN_FLIGHT -> RetrySchedule.Outcome.FAILED;
            default -> RetrySchedule.Outcome.NO_ANSWER;
        };
    }

    private void defer(PendingRecovery p, Instant until, String because, Instant now) {
        if (until.equals(deferred.get(p.recoveryId()))) return;
        deferred.put(p.recoveryId(), until);
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, p.leadId());
        lead.<LeadEntity.Ack>ask(r -> new LeadEntity.Defer(p.recoveryId(), until, because, now, r), ASK);
        log.info("Callback for {} deferred until {} ({})", PhoneNumbers.mask(p.number()), until, because);
    }

    private void close(PendingRecovery p, RecoveryStatus status, String why, Instant now) {
        open.remove(p.recoveryId());
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, p.leadId());
        lead.<LeadEntity.Ack>ask(r -> new LeadEntity.Close(p.recoveryId(), status, why, now, r), ASK);
        setup.metrics().closed(status);
        log.info("Recovery of {} closed without a call: {} ({})", PhoneNumbers.mask(p.number()), status, why);
    }
}
