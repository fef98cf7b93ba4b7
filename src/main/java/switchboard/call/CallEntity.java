package switchboard.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.MissedCallClassifier.Ending;
import switchboard.call.PbxSignal.AfterHours;
import switchboard.call.PbxSignal.AgentConnected;
import switchboard.call.PbxSignal.AgentNoAnswer;
import switchboard.call.PbxSignal.AgentRinging;
import switchboard.call.PbxSignal.CallStarted;
import switchboard.call.PbxSignal.DialEnded;
import switchboard.call.PbxSignal.Hangup;
import switchboard.call.PbxSignal.HangupRequested;
import switchboard.call.PbxSignal.QueueJoined;
import switchboard.call.PbxSignal.QueueLeft;
import switchboard.call.PbxSignal.VoicemailEntered;
import switchboard.common.CborSerializable;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadIdentity;
import switchboard.lead.LeadSource;
import switchboard.lead.PhoneNumbers;

/**
 * One inbound call, keyed {@code pbxId:linkedid}: ringing → queued → answered | missed → ended.
 *
 * <p>Driven by {@link PbxSignal}s. Persists only transitions that change what we know about the outcome (an agent
 * letting it ring out while the caller waits changes nothing, so it is not stored). Signals are idempotent: a
 * repeated or late signal is acknowledged without a new event. The lead hears about the outcome through the
 * {@code CallOutcomes} projection, so a crash between the two cannot lose it.
 */
public final class CallEntity
        extends EventSourcedBehaviorWithEnforcedReplies<CallEntity.Command, CallEntity.Event, CallEntity.State> {
    private static final Logger log = LoggerFactory.getLogger(CallEntity.class);

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Call");
    /** Fixed for the life of a journal: the tag is stored with every event. */
    public static final List<String> TAGS =
            IntStream.range(0, 4).mapToObj(i -> "call-" + i).collect(Collectors.toUnmodifiableList());

    public static String callId(String pbx, String linkedId) {
        return pbx + ":" + linkedId;
    }

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** A PBX signal for this call; acknowledged once whatever it caused is durably stored. */
    public record Signal(PbxSignal signal, ActorRef<Ack> replyTo) implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    /** Sent by sharding before the entity stops (passivation). */
    public record Stop() implements Command {}

    public record Ack(String callId, CallStatus status, MissedReason missedReason, boolean ended)
            implements CborSerializable {}

    // ---- events ----

    public sealed interface Event extends CborSerializable {
        String callId();

        /** PBX time of the signal that caused it. */
        Instant at();
    }

    /** {@code inferred}: we never saw the start (e.g. attached mid-call); caller details may be missing. */
    public record Started(
            String callId,
            Instant at,
            String pbx,
            String linkedId,
            LeadIdentity lead,
            String did,
            LeadSource source,
            boolean inferred)
            implements Event {}

    /**
     * An earlier start than the one stored, while the call is undecided: a call adopted at a resync starts at "now
     * minus the whole seconds Asterisk lists it up for"; its CDR record, read when it ends, has the real start, which
     * decides whether a hang-up was a short abandon.
     */
    public record StartCorrected(String callId, Instant at) implements Event {}

    public record Queued(String callId, Instant at, String queue) implements Event {}

    /** The caller's own Dial() started ringing a phone (a direct dial; queue rings are not stored). */
    public record Rang(String callId, Instant at, String queue, String agent) implements Event {}

    /** Left a queue unanswered, still on the line ({@code queueStatus}: TIMEOUT, LEAVEEMPTY, …). */
    public record QueueExited(String callId, Instant at, String queue, String queueStatus) implements Event {}

    public record DialFailed(String callId, Instant at, String destination, String dialStatus) implements Event {}

    public record RoutedAfterHours(String callId, Instant at) implements Event {}

    public record Answered(String callId, Instant at, String queue, String agent, LeadIdentity lead, LeadSource source)
            implements Event {}

    /**
     * The call is missed. {@code at} is the PBX time of the deciding signal; {@code detectedAt} the node's time when
     * it decided, written in this same event (the reply to the deciding signal is sent once it is durable).
     */
    public record Missed(
            String callId,
            Instant at,
            MissedReason reason,
            boolean voicemail,
            Instant detectedAt,
            String queue,
            LeadIdentity lead,
            LeadSource source)
            implements Event {}

    public record Ended(String callId, Instant at, int cause) implements Event {}

    /** Overflow moved the caller on (one hop); the call goes on at the new destination and is decided there. */
    public record Rerouted(String callId, Instant at, String fromQueue, String to, String reason, long waitedSeconds)
            implements Event {}

    /** The caller chose a callback over waiting on (an overflow offer): unanswered, it is missed as CALLBACK_REQUESTED. */
    public record CallbackChosen(String callId, Instant at) implements Event {}

    /** One overflow move in a call's history. */
    public record Hop(Instant at, String fromQueue, String to, String reason, long waitedSeconds)
            implements CborSerializable {}

    // ---- state ----

    public record State(
            String callId,
            CallStatus status,
            String pbx,
            String linkedId,
            LeadIdentity lead,
            String did,
            LeadSource source,
            String queue,
            Instant startedAt,
            boolean inQueue,
            boolean dialing,
            String queueExitStatus,
            String lastDialStatus,
            boolean afterHours,
            Instant answeredAt,
            String answeredBy,
            Instant missedAt,
            MissedReason missedReason,
            boolean voicemail,
            Instant detectedAt,
            Instant endedAt,
            Integer hangupCause,
            List<Hop> hops,
            boolean callbackChosen)
            implements CborSerializable {

        public State {
            hops = hops == null ? List.of() : hops;
        }

        static State empty(String callId) {
            return new State(
                    callId,
                    CallStatus.NEW,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    false,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    List.of(),
                    false);
        }

        public boolean isEnded() {
            return endedAt != null;
        }

        MissedCallClassifier.Facts facts() {
            return new MissedCallClassifier.Facts(
                    startedAt, afterHours, inQueue, dialing, queueExitStatus, lastDialStatus);
        }

        State apply(Event e) {
            var d = new Draft(this);
            if (e instanceof Started s) {
                d.status = CallStatus.RINGING;
                d.pbx = s.pbx();
                d.linkedId = s.linkedId();
                d.lead = s.lead();
                d.did = s.did();
                d.source = s.source();
                d.startedAt = s.at();
            } else if (e instanceof StartCorrected c) {
                d.startedAt = c.at();
            } else if (e instanceof Queued q) {
                if (!d.status.decided() && d.status != CallStatus.REROUTED) d.status = CallStatus.QUEUED;
                d.queue = q.queue();
                d.inQueue = true;
                d.queueExitStatus = null;
            } else if (e instanceof Rang r) {
                if (r.queue() == null) { // a direct dial: its own outcome counts from now on
                    d.dialing = true;
                    d.lastDialStatus = null;
                }
            } else if (e instanceof QueueExited x) {
                if (!d.status.decided() && d.status != CallStatus.REROUTED) d.status = CallStatus.RINGING;
                d.inQueue = false;
                d.queueExitStatus = x.queueStatus();
            } else if (e instanceof DialFailed f) {
                d.lastDialStatus = f.dialStatus();
                d.dialing = false;
            } else if (e instanceof RoutedAfterHours) {
                d.afterHours = true;
            } else if (e instanceof Answered a) {
                d.status = CallStatus.ANSWERED;
                d.answeredAt = a.at();
                d.answeredBy = a.agent();
                if (a.queue() != null) d.queue = a.queue();
                d.inQueue = false;
                d.dialing = false;
            } else if (e instanceof Missed m) {
                d.status = CallStatus.MISSED;
                d.missedAt = m.at();
                d.missedReason = m.reason();
                d.voicemail = m.voicemail();
                d.detectedAt = m.detectedAt();
            } else if (e instanceof Ended x) {
                d.endedAt = x.at();
                d.hangupCause = x.cause();
                d.inQueue = false;
            } else if (e instanceof Rerouted r) {
                var hops = new ArrayList<Hop>(d.hops);
                hops.add(new Hop(r.at(), r.fromQueue(), r.to(), r.reason(), r.waitedSeconds()));
                d.hops = List.copyOf(hops);
                if (!d.status.decided()) d.status = CallStatus.REROUTED;
            } else if (e instanceof CallbackChosen) {
                d.callbackChosen = true;
            }
            return d.build();
        }
    }

    /** Mutable copy used only inside {@link State#apply}. */
    private static final class Draft {
        final String callId;
        CallStatus status;
        String pbx, linkedId, did, queue, queueExitStatus, lastDialStatus, answeredBy;
        LeadIdentity lead;
        LeadSource source;
        Instant startedAt, answeredAt, missedAt, detectedAt, endedAt;
        boolean inQueue, dialing, afterHours, voicemail, callbackChosen;
        MissedReason missedReason;
        Integer hangupCause;
        List<Hop> hops;

        Draft(State s) {
            callId = s.callId;
            status = s.status;
            pbx = s.pbx;
            linkedId = s.linkedId;
            lead = s.lead;
            did = s.did;
            source = s.source;
            queue = s.queue;
            startedAt = s.startedAt;
            inQueue = s.inQueue;
            dialing = s.dialing;
            queueExitStatus = s.queueExitStatus;
            lastDialStatus = s.lastDialStatus;
            afterHours = s.afterHours;
            answeredAt = s.answeredAt;
            answeredBy = s.answeredBy;
            missedAt = s.missedAt;
            missedReason = s.missedReason;
            voicemail = s.voicemail;
            detectedAt = s.detectedAt;
            endedAt = s.endedAt;
            hangupCause = s.hangupCause;
            hops = s.hops;
            callbackChosen = s.callbackChosen;
        }

        State build() {
            return new State(
                    callId,
                    status,
                    pbx,
                    linkedId,
                    lead,
                    did,
                    source,
                    queue,
                    startedAt,
                    inQueue,
                    dialing,
                    queueExitStatus,
                    lastDialStatus,
                    afterHours,
                    answeredAt,
                    answeredBy,
                    missedAt,
                    missedReason,
                    voicemail,
                    detectedAt,
                    endedAt,
                    hangupCause,
                    hops,
                    callbackChosen);
        }
    }

    // ---- wiring ----

    public static void init(ActorSystem<?> system, CallPolicy policy, CallMetrics metrics, Clock clock) {
        ClusterSharding.get(system)
                .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), policy, metrics, clock, ctx.getShard()))
                        .withStopMessage(new Stop()));
    }

    public static String tagFor(String callId) {
        return TAGS.get(Math.abs(callId.hashCode() % TAGS.size()));
    }

    /** @param shard where to ask for passivation once the call has ended; null in unit tests */
    public static Behavior<Command> create(
            String callId,
            CallPolicy policy,
            CallMetrics metrics,
            Clock clock,
            ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> new CallEntity(ctx, callId, policy, metrics, clock, shard));
    }

    private final ActorContext<Command> ctx;
    private final String callId;
    private final String tag;
    private final CallPolicy policy;
    private final CallMetrics metrics;
    private final Clock clock;
    private final ActorRef<ClusterSharding.ShardCommand> shard;

    private CallEntity(
            ActorContext<Command> ctx,
            String callId,
            CallPolicy policy,
            CallMetrics metrics,
            Clock clock,
            ActorRef<ClusterSharding.ShardCommand> shard) {
        super(
                PersistenceId.of(ENTITY_KEY.name(), callId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
        this.ctx = ctx;
        this.callId = callId;
        this.tag = tagFor(callId);
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.shard = shard;
    }

    @Override
    public State emptyState() {
        return State.empty(callId);
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return Set.of(tag);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        // A call has a handful of events: replaying them is cheaper than writing snapshots.
        return RetentionCriteria.disabled();
    }

    @Override
    public Recovery recovery() {
        // No snapshots are ever written for calls, so skip the snapshot query: one round trip less per new call.
        return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Signal.class, this::onSignal)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .onCommand(Stop.class, (state, cmd) -> Effect().stop().thenNoReply())
                .build();
    }

    private ReplyEffect<Event, State> onSignal(State state, Signal cmd) {
        var events = decide(state, cmd.signal());
        var replyTo = cmd.replyTo();
        if (events.isEmpty()) return Effect().reply(replyTo, ack(state));
        boolean ends = events.get(events.size() - 1) instanceof Ended;
        return Effect()
                .persist(events)
                .thenRun(newState -> {
                    count(events);
                    if (ends && shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
                })
                .thenReply(replyTo, CallEntity::ack);
    }

    private void count(List<Event> stored) {
        Instant storedAt = clock.instant();
        for (var e : stored) {
            if (e instanceof Started) metrics.started();
            else if (e instanceof Answered) metrics.answered();
            else if (e instanceof Missed m) metrics.missed(m.callId(), m.reason(), m.at(), storedAt);
        }
    }

    private static Ack ack(State s) {
        return new Ack(s.callId(), s.status(), s.missedReason(), s.isEnded());
    }

    /** The events a signal causes in this state; empty when it changes nothing. */
    List<Event> decide(State state, PbxSignal signal) {
        if (state.isEnded()) return List.of(); // late or repeated signal for a finished call
        var events = new ArrayList<Event>(3);
        if (state.status() == CallStatus.NEW) {
            events.add(started(signal));
            state = state.apply(events.get(0));
            if (signal instanceof CallStarted) return events;
        } else if (signal instanceof CallStarted c) {
            // A repeat (resync, CDR). Every source reports the true start or later, so an earlier one is the better
            // one.
            boolean earlier = c.at() != null && state.startedAt() != null && c.at().isBefore(state.startedAt());
            if (earlier && !state.status().decided()) events.add(new StartCorrected(callId, c.at()));
            return events;
        }
        final State s = state;
        final boolean decided = s.status().decided();
        final Instant at = signal.at();

        if (signal instanceof QueueJoined q) {
            if (!decided && !(s.inQueue() && q.queue().equals(s.queue())))
                events.add(new Queued(callId, at, q.queue()));
        } else if (signal instanceof AgentRinging r) {
            // Only the start of a direct dial changes what a hang-up means (abandoned while it rang); a queue ringing
            // its agents changes nothing the queue join did not already say, so it is not stored.
            boolean newDirectDial = r.queue() == null && !s.dialing();
            if (!decided && newDirectDial) events.add(new Rang(callId, at, r.queue(), r.agent()));
        } else if (signal instanceof AgentNoAnswer) {
            // Not a miss while the caller still waits; queue statistics come from the queue model.
        } else if (signal instanceof AgentConnected c) {
            if (!decided) events.add(new Answered(callId, at, c.queue(), c.agent(), s.lead(), s.source()));
            else if (s.status() == CallStatus.MISSED)
                log.warn(
                        "Call {} was connected to {} after it was recorded missed; keeping the miss",
                        callId,
                        c.agent());
        } else if (signal instanceof QueueLeft l) {
            // A leave without QUEUESTATUS is an answer or a hang-up; the signal that follows decides. Only exits that
            // leave the caller on the line unanswered are facts worth keeping.
            if (!decided && l.queueStatus() != null && !l.queueStatus().isBlank() && s.inQueue()) {
                events.add(new QueueExited(
                        callId, at, l.queue(), l.queueStatus().trim().toUpperCase()));
            }
        } else if (signal instanceof DialEnded d) {
            String status = d.dialStatus() == null ? "" : d.dialStatus().trim().toUpperCase();
            if (!decided) {
                if (status.equals("ANSWER"))
                    events.add(new Answered(callId, at, null, d.destination(), s.lead(), s.source()));
                else if (Set.of("NOANSWER", "BUSY", "CHANUNAVAIL", "CONGESTION").contains(status)
                        && !(status.equals(s.lastDialStatus()) && !s.dialing())) {
                    // (DialEnd and the DIALSTATUS Dial() leaves behind report the same failure: store it once.)
                    events.add(new DialFailed(callId, at, d.destination(), status));
                }
            }
        } else if (signal instanceof AfterHours) {
            if (!decided && !s.afterHours()) events.add(new RoutedAfterHours(callId, at));
        } else if (signal instanceof VoicemailEntered) {
            if (!decided) events.add(missed(s, Ending.VOICEMAIL, at, true));
        } else if (signal instanceof HangupRequested) {
            if (!decided) events.add(missed(s, Ending.HANGUP, at, false));
        } else if (signal instanceof Hangup h) {
            if (!decided) events.add(missed(s, Ending.HANGUP, at, false));
            events.add(new Ended(callId, at, h.cause()));
        } else if (signal instanceof PbxSignal.Rerouted r) {
            // Recorded even if an agent at the new destination answered first (the two arrive by different paths).
            boolean repeat = s.hops().stream()
                    .anyMatch(hop ->
                            hop.fromQueue().equals(r.fromQueue()) && hop.to().equals(r.to()));
            if (!repeat) events.add(new Rerouted(callId, at, r.fromQueue(), r.to(), r.reason(), r.waitedSeconds()));
        } else if (signal instanceof PbxSignal.CallbackChosen) {
            if (!decided && !s.callbackChosen()) events.add(new CallbackChosen(callId, at));
        }
        return events;
    }

    private Missed missed(State s, Ending ending, Instant at, boolean voicemail) {
        // A caller who asked to be called back did not give up on us: that is the reason, whatever else happened.
        var reason = s.callbackChosen()
                ? MissedReason.CALLBACK_REQUESTED
                : policy.classifier().classify(s.facts(), ending, at);
        var m = new Missed(callId, at, reason, voicemail, clock.instant(), s.queue(), s.lead(), s.source());
        if (log.isDebugEnabled())
            log.debug(
                    "Call {} from {} missed: {}",
                    callId,
                    PhoneNumbers.mask(s.lead().phoneNumber()),
                    reason);
        return m;
    }

    private Started started(PbxSignal signal) {
        var site = policy.site(signal.pbx());
        if (signal instanceof CallStarted c) {
            var lead = CallerIdentification.identify(site.tenant(), c.callerIdNum(), site.region(), callId);
            var source = policy.sources().resolve(c.did(), c.sourceHint());
            return new Started(callId, c.at(), c.pbx(), c.linkedId(), lead, c.did(), source, false);
        }
        // We joined mid-call (e.g. after a reconnect) and never saw who called: keep the call, flag what is missing.
        var lead = new LeadIdentity(site.tenant() + ":unknown:" + callId, site.tenant(), null, null, "CALLER_UNKNOWN");
        return new Started(callId, signal.at(), signal.pbx(), signal.linkedId(), lead, null, LeadSource.UNKNOWN, true);
    }
}
