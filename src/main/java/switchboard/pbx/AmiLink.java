package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.internal.SwitchboardManagerConnection;
import org.asteriskjava.manager.PingThread;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.QueueStatusAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.CallSignals;
import switchboard.call.PbxSignal;
import switchboard.metrics.Metrics;

/**
 * Owns one PBX's AMI connection (Asterisk-Java {@link ManagerConnection}). The library's single event thread
 * only enqueues each event into this actor's mailbox, so it is never blocked; the actor translates events in
 * arrival order and routes the signals by Linkedid. Blocking calls (login) run on the blocking dispatcher and
 * report back as messages. The first login is retried with backoff here; after a drop, the library reconnects
 * by itself and every (re)connect is followed by a resync of live channels and queue callers.
 */
public final class AmiLink extends AbstractBehavior<AmiLink.Command> {
  private static final Logger log = LoggerFactory.getLogger(AmiLink.class);
  /** Only what classifies calls; VarSet and Newexten come with "dialplan". */
  static final String EVENT_MASK = "system,call,agent,user,dialplan";
  static final int PING_INTERVAL_MS = 5_000;
  static final int READ_TIMEOUT_MS = 12_000;

  public sealed interface Command {}

  private record Event(ManagerEvent event) implements Command {}

  private record LoginResult(Throwable failure) implements Command {}

  private record Resynced(List<ResponseEvent> channels, List<ResponseEvent> queueEntries, List<CdrBackfill.Row> cdr, Instant since, long mark, Throwable failure)
      implements Command {}

  private enum Retry implements Command { INSTANCE }

  /**
   * Stop taking events (node shutdown): log off and stop, then reply. Sent before the entities' shard regions go
   * down, so no signal is handed to a region that can no longer store it; the next node adopts what is live.
   */
  public record Stop(org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  private record EndedFromCdr(PbxSignal.Hangup hangup, List<CdrBackfill.Row> rows) implements Command {}

  /** Place a callback (asynchronous Originate); what becomes of it comes back through {@link AmiCallbackPbx}. */
  public record Originate(switchboard.callback.CallbackPbx.Dial dial) implements Command {}

  private record OriginateReply(String attemptId, String error) implements Command {}

  /**
   * Overflow: set {@code variables} on the waiting caller's channel, then Redirect it to the destination's context
   * (sb-overflow, sb-overflow-number, sb-overflow-offer) at extension {@code did}. {@code result}: null or the error.
   */
  public record Move(String channel, String did, java.util.Map<String, String> variables, switchboard.overflow.OverflowPolicy.Destination to,
      java.util.concurrent.CompletableFuture<String> result) implements Command {}

  /** What became of a callback attempt stored as in flight before a restart (see CallbackPbx#reconcile). */
  public record Reconcile(String attemptId, String channelId) implements Command {}

  private record Reconciled(String attemptId, String channelId, boolean live, boolean up, List<CdrBackfill.Row> rows) implements Command {}

  public static Behavior<Command> create(PbxSettings pbx, AmiTranslator translator, CallSignals signals, PbxLinkStatus status, Metrics metrics, Executor blocking) {
    return create(pbx, translator, signals, status, metrics, blocking, new AmiCallbackPbx(status));
  }

  public static Behavior<Command> create(PbxSettings pbx, AmiTranslator translator, CallSignals signals, PbxLinkStatus status, Metrics metrics, Executor blocking,
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
  private final CallSignals signals;
  private final PbxLinkStatus status;
  private final Executor blocking;
  private final ManagerConnection connection;
  private final Metrics.Counter events;
  private final Metrics.Counter ignored;
  private final Metrics.Counter routed;
  private final java.nio.file.Path cdrFile;
  /** Since when we may have missed events: start-up minus the backfill window, then each disconnect. */
  private Instant blindSince;
  private final Metrics.Counter backfilled;
  private PingThread ping;
  /** Whether the event being translated belongs to an adopted call (read before the translator forgets it at hang-up). */
  private boolean lastAdopted;
  private Duration backoff = Duration.ofSeconds(1);
  private boolean stopped;
  /** PBX time of the last event read (its Timestamp header). */
  private Instant lastEventAt;

  private final AmiCallbackPbx callbacks;
  private final CallbackChannels callbackChannels = new CallbackChannels();

  private AmiLink(ActorContext<Command> ctx, TimerScheduler<Command> timers, PbxSettings pbx, AmiTranslator translator, CallSignals signals,
      PbxLinkStatus status, Metrics metrics, Executor blocking, AmiCallbackPbx callbacks) {
    super(ctx);
    this.callbacks = callbacks;
    this.timers = timers;
    this.pbxId = pbx.id();
    this.ami = pbx.ami();
    this.cdrFile = pbx.cdrFile().isBlank() ? null : java.nio.file.Path.of(pbx.cdrFile());
    this.blindSince = Instant.now().minus(pbx.backfillWindow());
    this.translator = translator;
    this.signals = signals;
    this.status = status;
    this.blocking = blocking;
    this.events = metrics.counter("switchboard_ami_events_total", "AMI events received", "pbx", pbxId);
    this.ignored = metrics.counter("switchboard_ami_events_ignored_total", "AMI events that meant nothing to a call", "pbx", pbxId);
    this.routed = metrics.counter("switchboard_ami_signals_total", "Signals routed from AMI events", "pbx", pbxId);
    this.backfilled = metrics.counter("switchboard_cdr_backfill_signals_total", "Signals recovered from the CDR file after a gap", "pbx", pbxId);
    metrics.gauge("switchboard_ami_tracked_calls", "Inbound calls the AMI translator is following", translator::trackedCalls);
    this.connection = new SwitchboardManagerConnection(ami.host(), ami.port(), ami.user(), ami.secret()); // a faster reader, see its javadoc
    AmiEvents.registerAll(connection);
    connection.setSocketReadTimeout(READ_TIMEOUT_MS); // notice a frozen PBX / half-open TCP (needs the pings below)
    var self = ctx.getSelf();
    connection.addEventListener(e -> self.tell(new Event(e))); // the library's event thread: enqueue, nothing else
    login();
  }

  private void login() {
    status.set(status.get().state() == PbxLinkStatus.State.CONNECTING ? PbxLinkStatus.State.CONNECTING : PbxLinkStatus.State.RECONNECTING, null);
    CompletableFuture.runAsync(() -> {
      try {
        connection.login(EVENT_MASK);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, blocking).whenComplete((ok, err) -> getContext().getSelf().tell(new LoginResult(err == null ? null : rootCause(err))));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, this::onEvent)
        .onMessage(LoginResult.class, this::onLogin)
        .onMessage(Resynced.class, this::onResynced)
        .onMessage(EndedFromCdr.class, this::onEndedFromCdr)
        .onMessage(Originate.class, this::onOriginate)
        .onMessage(Move.class, this::onMove)
        .onMessage(Reconcile.class, this::onReconcile)
        .onMessage(Reconciled.class, this::onReconciled)
        .onMessage(OriginateReply.class, m -> {
          if (m.error() != null) callbacks.emit(new switchboard.callback.CallbackPbx.Refused(m.attemptId(), m.error()));
          return this;
        })
        .onMessage(Stop.class, m -> {
          log.info("AMI link to {} closing: the node is shutting down", pbxId);
          stop();
          m.replyTo().tell(org.apache.pekko.Done.getInstance());
          return Behaviors.stopped();
        })
        .onMessageEquals(Retry.INSTANCE, () -> {
          login();
          return this;
        })
        .onSignal(PostStop.class, s -> {
          stop();
          return this;
        })
        .onSignal(PreRestart.class, s -> {
          stop();
          return this;
        })
        .build();
  }

  private Behavior<Command> onLogin(LoginResult r) {
    if (r.failure() == null) {
      log.info("AMI link to {} ({}:{}) up", pbxId, ami.host(), ami.port());
      backoff = Duration.ofSeconds(1);
      if (ping == null) {
        ping = new PingThread(connection);
        ping.setInterval(PING_INTERVAL_MS);
        ping.setDaemon(true);
        ping.start();
      }
      onConnected();
      return this;
    }
    boolean auth = r.failure() instanceof AuthenticationFailedException;
    status.set(auth ? PbxLinkStatus.State.AUTH_FAILED : PbxLinkStatus.State.DOWN, r.failure().getMessage());
    log.warn("AMI login to {} ({}:{}) failed: {}; retrying in {} s", pbxId, ami.host(), ami.port(), r.failure().getMessage(), backoff.toSeconds());
    timers.startSingleTimer(Retry.INSTANCE, backoff);
    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
    return this;
  }

  private void onConnected() {
    status.set(PbxLinkStatus.State.CONNECTED, null);
    resync();
  }

  private Behavior<Command> onEvent(Event msg) {
    var e = msg.event();
    events.increment();
    if (e instanceof ConnectEvent) {
      // A reconnect made by the library (the first connect is handled by onLogin). Events during the gap are
      // lost: resync what is live now.
      if (status.get().state() != PbxLinkStatus.State.CONNECTING) {
        log.info("AMI link to {} reconnected; resyncing", pbxId);
        onConnected();
      }
      return this;
    }
    if (e instanceof DisconnectEvent) {
      log.warn("AMI link to {} lost; the library reconnects", pbxId);
      status.set(PbxLinkStatus.State.RECONNECTING, "link lost");
      // Blind since the last event we read, not since now: under load the events behind it (in the socket, in the
      // PBX's send buffer) are lost with the link, and a backlog in this mailbox delays the notice by seconds.
      // PBX time, like the CDR it is compared with; 5 s of margin.
      Instant last = lastEventAt != null && lastEventAt.isBefore(Instant.now()) ? lastEventAt : Instant.now();
      if (blindSince == null) blindSince = last.minusSeconds(5);
      translator.adoptAll(); // calls on the line across the gap are decided from their CDR record when they end
      return this;
    }
    if (e.getTimestamp() != null) lastEventAt = Instant.ofEpochMilli(Math.round(e.getTimestamp() * 1000));
    callbacks.queues.onEvent(e);
    for (var ce : callbackChannels.onEvent(e)) callbacks.emit(ce);
    if (e instanceof SwitchboardCallbackOfferEvent o) {
      callbacks.offerAnswered(new switchboard.overflow.OverflowPbx.OfferAnswer(o.callLinkedId(), o.getCallerIdNum(), o.pressedOne()));
    }
    List<PbxSignal> out;
    try {
      String linked = AmiTranslator.linkedIdOf(e);
      lastAdopted = linked != null && translator.isAdopted(linked);
      out = translator.translate(e);
    } catch (RuntimeException bad) {
      // A malformed value must not stop the link: count it, say what it was, go on.
      ignored.increment();
      log.warn("AMI event {} from {} could not be read: {}", e.getClass().getSimpleName(), pbxId, bad.toString());
      return this;
    }
    if (out.isEmpty()) ignored.increment();
    if (cdrFile != null && lastAdopted && out.stream().anyMatch(sig -> sig instanceof PbxSignal.HangupRequested)) {
      // An adopted call's hang-up request would decide it from the part of its story we saw; its CDR record, read
      // at the Hangup that follows, has the whole of it.
      out = out.stream().filter(sig -> !(sig instanceof PbxSignal.HangupRequested)).toList();
    }
    if (cdrFile != null && lastAdopted && !out.isEmpty() && out.get(out.size() - 1) instanceof PbxSignal.Hangup h) {
      // A call first seen at a resync: its CDR record (written as it ends) has the story we missed.
      route(out.subList(0, out.size() - 1));
      awaitCdr(h);
      return this;
    }
    route(out);
    return this;
  }

  /**
   * Sends the Originate without blocking: Async=true, so Asterisk answers at once ("successfully queued") and
   * reports the outcome later as OriginateResponse; the reply (or its failure) comes back as a message.
   */
  private Behavior<Command> onOriginate(Originate m) {
    var d = m.dial();
    var action = new org.asteriskjava.manager.action.OriginateAction();
    var variables = new java.util.LinkedHashMap<>(d.variables());
    if (d.agentFirst()) {
      // ;2 queues for a CSR (sb-callback-csr); once one answers, ;1 runs sb-callback-customer and dials the customer.
      // The ;2 half's id keeps our prefix, so queue watching does not count it as an inbound caller.
      action.setChannel("Local/s@sb-callback-csr/n");
      action.setContext("sb-callback-customer");
      action.setOtherChannelId(d.channelId() + "-csr");
      variables.put("SB_DIAL", d.number());
      variables.put("SB_RING", Long.toString(Math.max(1, d.ringTimeout().toSeconds())));
      // The Originate waits for the CSR: the queue's own timeout, plus a margin.
      long queueSeconds = parseSeconds(variables.get("SB_QUEUE_TIMEOUT"), 60);
      action.setTimeout((queueSeconds + 5) * 1000L);
    } else {
      action.setChannel(d.number());
      action.setContext("sb-callback");
      action.setTimeout(d.ringTimeout().toMillis());
    }
    action.setExten("s");
    action.setPriority(1);
    action.setAsync(true);
    action.setActionId(d.attemptId());
    action.setChannelId(d.channelId());
    if (d.callerId() != null) action.setCallerId(d.callerId());
    action.setVariables(variables);
    callbackChannels.dialing(d.attemptId(), d.channelId(), d.agentFirst());
    var self = getContext().getSelf();
    try {
      connection.sendAction(action, response -> {
        boolean error = response instanceof org.asteriskjava.manager.response.ManagerError;
        self.tell(new OriginateReply(d.attemptId(), error ? String.valueOf(response.getMessage()) : null));
      });
    } catch (Exception e) {
      self.tell(new OriginateReply(d.attemptId(), "not sent: " + e.getMessage()));
    }
    return this;
  }

  /**
   * Setvar for each variable, then Redirect; AMI runs one connection's actions in order, so the variables are set
   * before the caller lands in the new context. Never blocks: the replies complete the move's result.
   */
  private Behavior<Command> onMove(Move m) {
    var vars = new java.util.LinkedHashMap<>(m.variables());
    String context;
    if (m.to() instanceof switchboard.overflow.OverflowPolicy.ToQueue q) {
      context = "sb-overflow";
      vars.put("SB_OVERFLOW_QUEUE", q.queue());
    } else if (m.to() instanceof switchboard.overflow.OverflowPolicy.ToNumber n) {
      context = "sb-overflow-number";
      vars.put("SB_OVERFLOW_DIAL", n.dial());
    } else {
      context = "sb-overflow-offer";
    }
    var errors = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    try {
      for (var v : vars.entrySet()) {
        connection.sendAction(new org.asteriskjava.manager.action.SetVarAction(m.channel(), v.getKey(), v.getValue()), r -> {
          if (r instanceof org.asteriskjava.manager.response.ManagerError) errors.add("Setvar " + v.getKey() + ": " + r.getMessage());
        });
      }
      String exten = m.did() == null || m.did().isBlank() ? "s" : m.did();
      connection.sendAction(new org.asteriskjava.manager.action.RedirectAction(m.channel(), context, exten, 1), r -> {
        if (r instanceof org.asteriskjava.manager.response.ManagerError) m.result().complete("Redirect: " + r.getMessage());
        else m.result().complete(errors.isEmpty() ? null : String.join("; ", errors)); // moved; a lost variable is only context
      });
    } catch (Exception e) {
      m.result().complete("not sent: " + e.getMessage());
    }
    return this;
  }

  private static long parseSeconds(String s, long orElse) {
    try {
      return s == null ? orElse : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return orElse;
    }
  }

  private Behavior<Command> onReconcile(Reconcile m) {
    var self = getContext().getSelf();
    var channels = new CompletableFuture<List<ResponseEvent>>();
    try {
      connection.sendEventGeneratingAction(new CoreShowChannelsAction(), r -> channels.complete(new ArrayList<>(r.getEvents())));
    } catch (Exception e) {
      channels.completeExceptionally(e);
    }
    channels.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).thenCompose(list -> {
      for (var e : list) {
        if (e instanceof CoreShowChannelEvent c && m.channelId().equals(c.getUniqueid())) {
          return CompletableFuture.completedFuture(new Reconciled(m.attemptId(), m.channelId(), true, "Up".equalsIgnoreCase(c.getChannelStateDesc()), List.of()));
        }
      }
      return CompletableFuture.supplyAsync(() -> cdrFile == null ? List.<CdrBackfill.Row>of()
          : CdrFiles.tail(cdrFile).stream().filter(r -> m.channelId().equals(r.uniqueId())).toList(), blocking)
          .thenApply(rows -> new Reconciled(m.attemptId(), m.channelId(), false, false, rows));
    }).whenComplete((r, err) -> {
      if (err == null) self.tell(r);
      else log.warn("Callback {} could not be reconciled now ({}); the governor asks again", m.attemptId(), err.toString());
    });
    return this;
  }

  /** A live channel is followed again; a recorded one is reported from its CDR rows; neither: it vanished. */
  private Behavior<Command> onReconciled(Reconciled m) {
    if (m.live()) {
      callbackChannels.dialing(m.attemptId(), m.channelId());
      if (m.up()) {
        callbackChannels.answered(m.channelId());
        callbacks.emit(new switchboard.callback.CallbackPbx.Answered(m.attemptId()));
      }
      return this;
    }
    if (m.rows().isEmpty()) {
      callbacks.emit(new switchboard.callback.CallbackPbx.Vanished(m.attemptId()));
      return this;
    }
    boolean connected = m.rows().stream().anyMatch(r -> "ANSWERED".equals(r.disposition()) && r.dstChannel() != null && !r.dstChannel().isBlank());
    boolean answered = m.rows().stream().anyMatch(r -> r.answer() != null);
    if (connected) {
      callbacks.emit(new switchboard.callback.CallbackPbx.Answered(m.attemptId()));
      callbacks.emit(new switchboard.callback.CallbackPbx.Connected(m.attemptId(), m.rows().get(0).dstChannel()));
      callbacks.emit(new switchboard.callback.CallbackPbx.HungUp(m.attemptId(), 16));
    } else if (answered) {
      callbacks.emit(new switchboard.callback.CallbackPbx.Answered(m.attemptId()));
      callbacks.emit(new switchboard.callback.CallbackPbx.HungUp(m.attemptId(), 16));
    } else {
      String d = m.rows().get(m.rows().size() - 1).disposition();
      var outcome = "BUSY".equals(d) ? switchboard.lead.CallbackOutcome.BUSY : "NO ANSWER".equals(d) ? switchboard.lead.CallbackOutcome.NO_ANSWER
          : switchboard.lead.CallbackOutcome.FAILED;
      callbacks.emit(new switchboard.callback.CallbackPbx.NotAnswered(m.attemptId(), outcome, null, null));
    }
    return this;
  }

  /** The call's CDR record, read off the event loop; its story (or the bare hang-up) comes back as a message. */
  private void awaitCdr(PbxSignal.Hangup h) {
    if (cdrFile == null) {
      route(List.of(h)); // no records to read: the hang-up is all there is
      return;
    }
    var self = getContext().getSelf();
    CompletableFuture.supplyAsync(() -> CdrFiles.awaitCall(cdrFile, h.linkedId(), Duration.ofSeconds(5)), blocking)
        .exceptionally(err -> List.of())
        .thenAccept(rows -> self.tell(new EndedFromCdr(h, rows)));
  }

  private Behavior<Command> onEndedFromCdr(EndedFromCdr m) {
    var recovered = CdrBackfill.signals(pbxId, m.rows(), Instant.EPOCH, java.util.Set.of());
    backfilled.add(recovered.size());
    route(recovered);
    route(List.of(m.hangup())); // repeats the CDR's own hang-up when there was a record; the call's end otherwise
    return this;
  }

  private void route(List<PbxSignal> out) {
    for (var s : out) {
      routed.increment();
      signals.deliver(s);
    }
  }

  /** Asks for live channels and queue callers without blocking; the answers come back as one message. */
  private void resync() {
    var self = getContext().getSelf();
    Instant since = blindSince;
    blindSince = null;
    long mark = translator.markResync();
    var channels = new CompletableFuture<List<ResponseEvent>>();
    var entries = new CompletableFuture<List<ResponseEvent>>();
    try {
      connection.sendEventGeneratingAction(new CoreShowChannelsAction(), r -> channels.complete(new ArrayList<>(r.getEvents())));
      connection.sendEventGeneratingAction(new QueueStatusAction(), r -> entries.complete(new ArrayList<>(r.getEvents())));
    } catch (Exception e) {
      self.tell(new Resynced(List.of(), List.of(), List.of(), since, mark, e));
      return;
    }
    // The CDR file is read after Asterisk has said which channels are live: a call that ends in between is then
    // either live in the answer or already in the file, never in neither.
    channels.thenCombine(entries, (c, q) -> new Object[] {c, q}).thenCompose(cq -> {
          var cdr = since == null || cdrFile == null ? CompletableFuture.completedFuture(List.<CdrBackfill.Row>of())
              : CompletableFuture.supplyAsync(() -> CdrFiles.tail(cdrFile), blocking);
          @SuppressWarnings("unchecked") var c = (List<ResponseEvent>) cq[0];
          @SuppressWarnings("unchecked") var q = (List<ResponseEvent>) cq[1];
          return cdr.thenApply(rows -> new Resynced(c, q, rows, since, mark, null));
        })
        .completeOnTimeout(new Resynced(List.of(), List.of(), List.of(), since, mark, new java.util.concurrent.TimeoutException("resync timed out")), 30,
            java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(e -> new Resynced(List.of(), List.of(), List.of(), since, mark, e))
        .thenAccept(self::tell);
  }

  private Behavior<Command> onResynced(Resynced r) {
    try {
      if (r.failure() != null) {
        log.warn("AMI resync with {} failed: {}", pbxId, r.failure().toString());
        if (blindSince == null) blindSince = r.since(); // try again at the next connect
        return this;
      }
      applyResync(r);
      return this;
    } finally {
      translator.resyncDone();
    }
  }

  private void applyResync(Resynced r) {
    Instant now = Instant.now();
    callbacks.queues.reset(r.queueEntries(), now);
    var queueOf = new java.util.HashMap<String, String>();
    for (var e : r.queueEntries()) if (e instanceof QueueEntryEvent q && q.getUniqueId() != null) queueOf.put(q.getUniqueId(), q.getQueue());
    // Callers in the snapshot that hung up before we read it (their Hangup named a call we did not know yet): gone.
    var gone = new java.util.LinkedHashMap<String, Instant>();
    var live = new HashSet<String>();
    for (var e : r.channels()) {
      if (!(e instanceof CoreShowChannelEvent c) || c.getLinkedid() == null) continue;
      Instant hungUp = translator.hungUpDuringResync(c.getLinkedid());
      if (hungUp != null) gone.put(c.getLinkedid(), hungUp);
      else live.add(c.getLinkedid());
    }
    var recorded = new HashSet<String>();
    for (var row : r.cdr()) if (row.stage() != null && !row.stage().isBlank()) recorded.add(row.linkedId());
    // Calls we followed since before the snapshot that are gone now, and listed ones that hung up meanwhile: each is
    // decided from its own CDR record whenever it ended (the blind window is only a bound for calls we never saw).
    var ended = new java.util.LinkedHashMap<String, PbxSignal.Hangup>();
    var endedSignals = translator.endMissing(live, now, r.mark());
    for (var sig : endedSignals) if (sig instanceof PbxSignal.Hangup h) ended.put(h.linkedId(), h);
    for (var g : gone.entrySet()) ended.putIfAbsent(g.getKey(), new PbxSignal.Hangup(pbxId, g.getKey(), g.getValue(), 16));
    var out = new ArrayList<PbxSignal>();
    // First what Asterisk's records say about calls that ended while we were blind (richer than a bare hang-up),
    if (!r.cdr().isEmpty()) {
      var theirs = r.cdr().stream().filter(row -> ended.containsKey(row.linkedId())).toList();
      var recovered = new ArrayList<PbxSignal>(CdrBackfill.signals(pbxId, theirs, Instant.EPOCH, java.util.Set.of()));
      if (r.since() != null) {
        var skip = new HashSet<String>(live);
        skip.addAll(ended.keySet());
        recovered.addAll(CdrBackfill.signals(pbxId, r.cdr(), r.since(), skip));
      }
      backfilled.add(recovered.size());
      out.addAll(recovered);
    }
    // then the calls that are live now,
    for (var e : r.channels()) {
      if (!(e instanceof CoreShowChannelEvent c) || c.getLinkedid() == null || gone.containsKey(c.getLinkedid())) continue;
      Instant started = now.minus(parseDuration(c.getDuration()));
      String queue = queueOf.get(c.getUniqueid());
      if (queue == null && "Queue".equalsIgnoreCase(c.getApplication()) && c.getApplicationdata() != null) queue = c.getApplicationdata().split(",")[0];
      boolean bridged = c.getBridgeid() != null && !c.getBridgeid().isBlank();
      out.addAll(translator.adopt(c.getLinkedid(), c.getUniqueid(), c.getContext(), c.getCallerIdNum(), c.getCallerIdName(), c.getExten(),
          c.getChannelVariables() == null ? null : c.getChannelVariables().get("SB_DID"), started, queue,
          c.getApplication(), bridged));
    }
    // and the ended ones whose record is not in the file yet: Asterisk writes it as the channels go away; await it.
    var awaited = new ArrayList<PbxSignal.Hangup>();
    for (var h : ended.values()) {
      if (recorded.contains(h.linkedId())) continue;
      endedSignals.stream().filter(sig -> sig instanceof PbxSignal.CallStarted && sig.linkedId().equals(h.linkedId())).forEach(out::add);
      awaited.add(h);
    }
    log.info("AMI resync with {}: {} live channels, {} queue callers, {} CDR rows since {}, {} ended unseen, {} hung up meanwhile, {} signals", pbxId,
        r.channels().size(), queueOf.size(), r.cdr().size(), r.since(), ended.size(), gone.size(), out.size());
    route(out);
    awaited.forEach(this::awaitCdr); // after their starts, in each call's lane
  }

  static Duration parseDuration(String hhmmss) {
    if (hhmmss == null) return Duration.ZERO;
    try {
      String[] p = hhmmss.trim().split(":");
      if (p.length == 3) return Duration.ofHours(Long.parseLong(p[0])).plusMinutes(Long.parseLong(p[1])).plusSeconds(Long.parseLong(p[2]));
      return Duration.ofSeconds(Long.parseLong(hhmmss.trim()));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  private void stop() {
    if (stopped) return;
    stopped = true;
    if (ping != null) ping.die();
    try {
      connection.logoff();
    } catch (RuntimeException e) {
      // not connected
    }
  }

  private static Throwable rootCause(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof RuntimeException) && t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t;
  }
}
