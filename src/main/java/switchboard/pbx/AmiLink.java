package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.CallSignals;
import switchboard.call.PbxSignal;
import switchboard.callback.CallbackPbx;
import switchboard.metrics.Metrics;
import switchboard.overflow.OverflowPolicy;

/**
 * Owns one PBX's AMI link and everything it knows: whether it is up (its {@link PbxLinkStatus}), the blind window
 * a cut leaves, the resync under way, the calls the translator follows, the callback channels it originated. It
 * decides; the pieces it uses each do one job and keep no state of their own:
 * {@link AmiConnection} (login, logoff, keep-alive, sending), {@link AmiEventRouter} (where an event goes),
 * {@link Resync} (closing the gap after a (re)connect from live channels and the CDR file) and {@link AmiActions}
 * (Originate, moves, where a callback's channel is).
 *
 * <p>Nothing here waits. The library's single event thread only enqueues each event into this actor's mailbox;
 * the actor handles them in arrival order. Login, logoff and file reads run on the blocking executor, and every
 * reply (login, resync, actions) comes back as a message. The first login is retried with backoff here; after a
 * drop the library reconnects by itself, and every (re)connect is followed by a resync.
 */
public final class AmiLink extends AbstractBehavior<AmiLink.Command> {
    private static final Logger log = LoggerFactory.getLogger(AmiLink.class);

    public sealed interface Command {}

    private record Event(ManagerEvent event) implements Command {}

    private record LoginResult(Throwable failure) implements Command {}

    private enum Retry implements Command {
        INSTANCE
    }

    private record Resynced(Resync.Snapshot snapshot, Instant since, long mark, Throwable failure) implements Command {}

    private record EndedFromCdr(PbxSignal.Hangup hangup, List<CdrBackfill.Row> rows) implements Command {}

    /**
     * Stop taking events (node shutdown): log off and stop, then reply. Sent before the entities' shard regions go
     * down, so no signal is handed to a region that can no longer store it; the next node adopts what is live.
     */
    public record Stop(ActorRef<Done> replyTo) implements Command {}

    private record LoggedOff(ActorRef<Done> replyTo) implements Command {}

    /** Place a callback (asynchronous Originate); what becomes of it comes back through {@link AmiCallbackPbx}. */
    public record Originate(CallbackPbx.Dial dial) implements Command {}

    private record OriginateReply(String attemptId, String error) implements Command {}

    /**
     * Overflow: set {@code variables} on the waiting caller's channel, then Redirect it to the destination's context
     * (sb-overflow, sb-overflow-number, sb-overflow-offer) at extension {@code did}. {@code result}: null or the error.
     */
    public record Move(
            String channel,
            String did,
            Map<String, String> variables,
            OverflowPolicy.Destination to,
            CompletableFuture<String> result)
            implements Command {}

    /** What became of a callback attempt stored as in flight before a restart (see CallbackPbx#reconcile). */
    public record Reconcile(String attemptId, String channelId) implements Command {}

    private record Reconciled(String attemptId, String channelId, AmiActions.Whereabouts where, Throwable failure)
            implements Command {}

    public static Behavior<Command> create(
            PbxSettings pbx,
            AmiTranslator translator,
            CallSignals signals,
            PbxLinkStatus status,
            Metrics metrics,
            Executor blocking) {
        return create(pbx, translator, signals, status, metrics, blocking, new AmiCallbackPbx(status));
    }

    public static Behavior<Command> create(
            PbxSettings pbx,
            AmiTranslator translator,
            CallSignals signals,
            PbxLinkStatus status,
            Metrics metrics,
            Executor blocking,
            AmiCallbackPbx callbacks) {
        // Supervised: an unexpected failure restarts the link (new connection, fresh login, resync) with backoff.
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> {
                    callbacks.attach(ctx.getSelf());
                    return new AmiLink(ctx, timers, pbx, translator, signals, status, metrics, blocking, callbacks);
                })))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private final TimerScheduler<Command> timers;
    private final String pbxId;
    private final PbxSettings.Ami ami;
    private final AmiTranslator translator;
    private final PbxLinkStatus status;
    private final AmiCallbackPbx callbacks;
    private final CallbackChannels callbackChannels = new CallbackChannels();
    private final CdrReader cdr;
    private final AmiConnection connection;
    private final AmiEventRouter router;
    private final Resync resync;
    private final AmiActions actions;
    private final Metrics.Counter events;
    private final Metrics.Counter backfilled;

    /** Since when we may have missed events: start-up minus the backfill window, then each disconnect. */
    private Instant blindSince;
    /** PBX time of the last event read (its Timestamp header). */
    private Instant lastEventAt;

    private Duration backoff = Duration.ofSeconds(1);
    private boolean loggedOff;

    private AmiLink(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            PbxSettings pbx,
            AmiTranslator translator,
            CallSignals signals,
            PbxLinkStatus status,
            Metrics metrics,
            Executor blocking,
            AmiCallbackPbx callbacks) {
        super(ctx);
        this.timers = timers;
        this.pbxId = pbx.id();
        this.ami = pbx.ami();
        this.translator = translator;
        this.status = status;
        this.callbacks = callbacks;
        this.cdr = CdrReader.of(pbx, blocking);
        this.blindSince = Instant.now().minus(pbx.backfillWindow());
        this.events = metrics.counter("switchboard_ami_events_total", "AMI events received", "pbx", pbxId);
        var ignored = metrics.counter(
                "switchboard_ami_events_ignored_total", "AMI events that meant nothing to a call", "pbx", pbxId);
        var routed = metrics.counter("switchboard_ami_signals_total", "Signals routed from AMI events", "pbx", pbxId);
        this.backfilled = metrics.counter(
                "switchboard_cdr_backfill_signals_total",
                "Signals recovered from the CDR file after a gap",
                "pbx",
                pbxId);
        metrics.gauge(
                "switchboard_ami_tracked_calls",
                "Inbound calls the AMI translator is following",
                translator::trackedCalls);
        var self = ctx.getSelf();
        this.connection = new AmiConnection(
                ami, blocking, e -> self.tell(new Event(e))); // the library's event thread: enqueue, nothing else
        this.router = new AmiEventRouter(
                pbxId, translator, callbackChannels, callbacks, signals, cdr.present(), ignored, routed);
        this.resync = new Resync(pbxId, connection, cdr, translator, callbacks.queues);
        this.actions = new AmiActions(connection, cdr);
        login();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Event.class, this::onEvent)
                .onMessage(LoginResult.class, this::onLogin)
                .onMessageEquals(Retry.INSTANCE, () -> {
                    login();
                    return this;
                })
                .onMessage(Resynced.class, this::onResynced)
                .onMessage(EndedFromCdr.class, this::onEndedFromCdr)
                .onMessage(Originate.class, this::onOriginate)
                .onMessage(OriginateReply.class, m -> {
                    if (m.error() != null) callbacks.emit(new CallbackPbx.Refused(m.attemptId(), m.error()));
                    return this;
                })
                .onMessage(Move.class, m -> {
                    actions.move(m.channel(), m.did(), m.variables(), m.to()).thenAccept(m.result()::complete);
                    return this;
                })
                .onMessage(Reconcile.class, this::onReconcile)
                .onMessage(Reconciled.class, this::onReconciled)
                .onMessage(Stop.class, this::onStop)
                .onSignal(PostStop.class, s -> {
                    logoff();
                    return this;
                })
                .onSignal(PreRestart.class, s -> {
                    logoff();
                    return this;
                })
                .build();
    }

    // --- the connection: login, reconnects, shutdown

    private void login() {
        status.set(
                status.get().state() == PbxLinkStatus.State.CONNECTING
                        ? PbxLinkStatus.State.CONNECTING
                        : PbxLinkStatus.State.RECONNECTING,
                null);
        getContext().pipeToSelf(connection.login(), (ok, err) -> new LoginResult(err));
    }

    private Behavior<Command> onLogin(LoginResult r) {
        if (r.failure() == null) {
            log.info("AMI link to {} ({}:{}) up", pbxId, ami.host(), ami.port());
            backoff = Duration.ofSeconds(1);
            connection.keepAlive();
            onConnected();
            return this;
        }
        boolean auth = r.failure() instanceof AuthenticationFailedException;
        status.set(
                auth ? PbxLinkStatus.State.AUTH_FAILED : PbxLinkStatus.State.DOWN,
                r.failure().getMessage());
        log.warn(
                "AMI login to {} ({}:{}) failed: {}; retrying in {} s",
                pbxId,
                ami.host(),
                ami.port(),
                r.failure().getMessage(),
                backoff.toSeconds());
        timers.startSingleTimer(Retry.INSTANCE, backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                ? Duration.ofSeconds(30)
                : backoff.multipliedBy(2);
        return this;
    }

    private void onConnected() {
        status.set(PbxLinkStatus.State.CONNECTED, null);
        startResync();
    }

    /** A reconnect made by the library (the first connect is {@link #onLogin}'s). */
    private void onReconnected() {
        if (status.get().state() != PbxLinkStatus.State.CONNECTING) {
            // Events during the gap are lost: resync what is live now.
            log.info("AMI link to {} reconnected; resyncing", pbxId);
            onConnected();
        }
    }

    private void onDisconnected() {
        log.warn("AMI link to {} lost; the library reconnects", pbxId);
        status.set(PbxLinkStatus.State.RECONNECTING, "link lost");
        // Blind since the last event we read, not since now: under load the events behind it (in the socket, in the
        // PBX's send buffer) are lost with the link, and a backlog in this mailbox delays the notice by seconds.
        // PBX time, like the CDR it is compared with; 5 s of margin.
        Instant last = lastEventAt != null && lastEventAt.isBefore(Instant.now()) ? lastEventAt : Instant.now();
        if (blindSince == null) blindSince = last.minusSeconds(5);
        translator.adoptAll(); // calls on the line across the gap are decided from their CDR record when they end
    }

    /**
     * Stops taking events: from here on the link only waits for the logoff (off the actor: the library's logoff
     * waits for Asterisk, and for a login under way), then replies and stops. What still arrives is dropped, as it
     * would be once stopped.
     */
    private Behavior<Command> onStop(Stop m) {
        log.info("AMI link to {} closing: the node is shutting down", pbxId);
        timers.cancelAll();
        getContext().pipeToSelf(logoff(), (ok, err) -> new LoggedOff(m.replyTo()));
        return Behaviors.receive(Command.class)
                .onMessage(LoggedOff.class, l -> {
                    l.replyTo().tell(Done.getInstance());
                    return Behaviors.stopped();
                })
                .build();
    }

    /** Logs off at most once: PostStop and PreRestart both ask, and so does a Stop. */
    private CompletionStage<Void> logoff() {
        if (loggedOff) return CompletableFuture.completedFuture(null);
        loggedOff = true;
        return connection.logoff();
    }

    // --- events

    private Behavior<Command> onEvent(Event msg) {
        var e = msg.event();
        events.increment();
        if (e instanceof ConnectEvent) {
            onReconnected();
            return this;
        }
        if (e instanceof DisconnectEvent) {
            onDisconnected();
            return this;
        }
        if (e.getTimestamp() != null) lastEventAt = Instant.ofEpochMilli(Math.round(e.getTimestamp() * 1000));
        var awaiting = router.onEvent(e);
        if (awaiting != null)
            awaitRecord(awaiting); // a call first seen at a resync: its CDR record has the story we missed
        return this;
    }

    // --- resync and backfill

    /** Asks for live channels and queue callers (and the CDR file when blind) without blocking; one message answers. */
    private void startResync() {
        Instant since = blindSince;
        blindSince = null;
        long mark = translator.markResync();
        getContext().pipeToSelf(resync.ask(since != null), (snapshot, err) -> new Resynced(snapshot, since, mark, err));
    }

    private Behavior<Command> onResynced(Resynced r) {
        try {
            if (r.failure() != null) {
                log.warn("AMI resync with {} failed: {}", pbxId, r.failure().toString());
                if (blindSince == null) blindSince = r.since(); // try again at the next connect
                return this;
            }
            apply(resync.plan(r.snapshot(), r.since(), r.mark()));
            return this;
        } finally {
            translator.resyncDone();
        }
    }

    private void apply(Resync.Plan plan) {
        backfilled.add(plan.backfilled());
        router.deliver(plan.signals());
        plan.awaited().forEach(this::awaitRecord); // after their starts, in each call's lane
    }

    /** The call's CDR record, read off the actor; its story (or the bare hang-up) comes back as a message. */
    private void awaitRecord(PbxSignal.Hangup h) {
        if (!cdr.present()) {
            router.deliver(List.of(h)); // no records to read: the hang-up is all there is
            return;
        }
        getContext()
                .pipeToSelf(resync.awaitRecord(h), (rows, err) -> new EndedFromCdr(h, rows == null ? List.of() : rows));
    }

    private Behavior<Command> onEndedFromCdr(EndedFromCdr m) {
        apply(resync.fromRecord(m.hangup(), m.rows()));
        return this;
    }

    // --- actions

    private Behavior<Command> onOriginate(Originate m) {
        var d = m.dial();
        callbackChannels.dialing(d.attemptId(), d.channelId(), d.agentFirst());
        getContext()
                .pipeToSelf(
                        actions.originate(d),
                        (error, err) -> new OriginateReply(
                                d.attemptId(), err == null ? error : "not sent: " + err.getMessage()));
        return this;
    }

    private Behavior<Command> onReconcile(Reconcile m) {
        getContext()
                .pipeToSelf(
                        actions.whereabouts(m.channelId()),
                        (where, err) -> new Reconciled(m.attemptId(), m.channelId(), where, err));
        return this;
    }

    /** A live channel is followed again; a recorded one is reported from its CDR rows; neither: it vanished. */
    private Behavior<Command> onReconciled(Reconciled m) {
        if (m.failure() != null) {
            log.warn(
                    "Callback {} could not be reconciled now ({}); the governor asks again",
                    m.attemptId(),
                    m.failure().toString());
            return this;
        }
        var where = m.where();
        if (where.live()) {
            callbackChannels.dialing(m.attemptId(), m.channelId());
            if (where.up()) {
                callbackChannels.answered(m.channelId());
                callbacks.emit(new CallbackPbx.Answered(m.attemptId()));
            }
            return this;
        }
        AmiActions.recorded(m.attemptId(), where.rows()).forEach(callbacks::emit);
        return this;
    }
}
