package switchboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.CallEntity;
import switchboard.call.CallMetrics;
import switchboard.call.CallPolicy;
import switchboard.call.CallSignals;
import switchboard.call.MissedCallClassifier;
import switchboard.http.ApiRoutes;
import switchboard.http.HttpServer;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSourceResolver;
import switchboard.metrics.Metrics;
import switchboard.pbx.AmiLink;
import switchboard.pbx.AmiTranslator;
import switchboard.pbx.PbxLinkStatus;
import java.time.Instant;
import org.apache.pekko.actor.typed.Props;
import switchboard.readside.Database;
import switchboard.readside.ReadSide;
import switchboard.readside.ReadStore;
import switchboard.readside.Schema;

/**
 * One Switchboard node: schema, actor system (a cluster of one unless seed nodes are configured), the sharded
 * call and lead entities, the projections, and the HTTP API. The same code path serves one node or many.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<Void> system;
  private final Database readDb;
  private final CallSignals signals;
  private final ReadStore readStore;
  private final Metrics metrics;
  private final CallMetrics callMetrics;
  private final InetSocketAddress httpAddress;
  private final AtomicBoolean journalReady = new AtomicBoolean();
  private final Map<String, PbxLinkStatus> pbxStatus = new java.util.LinkedHashMap<>();
  private final java.util.List<org.apache.pekko.actor.typed.ActorRef<AmiLink.Command>> links = new java.util.ArrayList<>();
  /** How long a shutting-down node waits for the signals its PBX links already handed in to be stored. */
  static final Duration DRAIN_ON_SHUTDOWN = Duration.ofSeconds(8);

  /** The callback governor's clock: the calling window, business hours, retries and pacing read it (tests move it). */
  private final Clock callbackClock;

  private Node(Settings settings, Config overrides, Clock callbackClock) throws Exception {
    this.callbackClock = callbackClock;
    this.dnc = new switchboard.callback.DncList(settings.pbx().region());
    this.dncTenant = settings.pbx().tenant();
    Schema.apply(settings.db());
    Config config = overrides.withFallback(PekkoConfig.build(settings));
    this.system = ActorSystem.create(Behaviors.empty(), "switchboard", config);
    try {
      var cluster = Cluster.get(system);
      if (settings.cluster().seedNodes().isEmpty()) cluster.manager().tell(Join.create(cluster.selfMember().address()));

      this.metrics = new Metrics();
      this.callMetrics = new CallMetrics(metrics);
      var sites = new java.util.HashMap<String, CallPolicy.Site>();
      for (var p : settings.pbxes()) sites.put(p.id(), new CallPolicy.Site(p.tenant(), p.region()));
      var policy = new CallPolicy(Map.copyOf(sites), sites.get(settings.pbx().id()), new LeadSourceResolver(settings.sources().byDid()),
          new MissedCallClassifier(settings.calls().shortAbandonThreshold()));
      LeadEntity.init(system);
      CallEntity.init(system, policy, callMetrics, Clock.systemUTC());
      switchboard.overflow.OverflowPolicyStore.init(system);
      switchboard.callback.DncEntity.init(system);
      this.signals = new CallSignals(system, callMetrics, settings.calls().maxSignalsInFlight());

      journalProbe().toCompletableFuture().get(35, TimeUnit.SECONDS);
      journalReady.set(true);
      loadDnc();

      ObjectMapper json = Json.mapper();
      this.readDb = new Database(settings.db(), "read-side");
      ReadSide.init(system, readDb, json, ASK_TIMEOUT);
      var blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("switchboard.blocking-dispatcher"));
      this.readStore = new ReadStore(readDb, blocking, json);
      // Planner statistics of the journal, checked every 15 s (a cheap catalog query; ANALYZE only when stale).
      var statistics = new switchboard.readside.JournalStatistics(readDb);
      system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(5), Duration.ofSeconds(15), () -> blocking.execute(statistics::refresh), blocking);
      metrics.gauge("switchboard_up", "1 while the node runs", () -> 1);

      // One supervised AMI link per configured PBX.
      for (var pbx : settings.pbxes()) {
        if (!pbx.ami().configured()) continue;
        var status = new PbxLinkStatus();
        pbxStatus.put(pbx.id(), status);
        var translator = new AmiTranslator(pbx.id(), java.util.Set.copyOf(pbx.inboundContexts()), settings.sources().channelVariable(), Instant::now);
        var callbackPbx = new switchboard.pbx.AmiCallbackPbx(status);
        links.add(system.systemActorOf(AmiLink.create(pbx, translator, signals, status, metrics, blocking, callbackPbx), "ami-" + pbx.id(), Props.empty()));
        if (settings.callbacks().enabled() && pbx == settings.pbx()) startCallbacks(settings, pbx, callbackPbx);
        if (pbx == settings.pbx()) startOverflow(settings, pbx, callbackPbx, signals, metrics);
      }
      if (overflow == null) overflow = new switchboard.overflow.OverflowService(null, false, storedPolicies(settings), policyChanges(settings.pbx().id()));
      stopIntakeFirst();

      var routes = new ApiRoutes(readStore, metrics, settings.http().apiToken(), this::readiness, json, settings.pbx().tenant(), settings.pbx().region(), new Control(), overflow);
      this.httpAddress = HttpServer.start(system, settings.http().host(), settings.http().port(), routes).toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.info("Switchboard node up: API on http://{}:{}, journal {}", httpAddress.getHostString(), httpAddress.getPort(), settings.db().isPostgres() ? "PostgreSQL" : "H2");
    } catch (Exception | Error e) {
      system.terminate();
      throw e;
    }
  }

  /** The first PBX's live queues and overflow policies (API and overflow actor share it). */
  private switchboard.overflow.OverflowService overflow;

  private void startOverflow(Settings settings, Settings.Pbx pbx, switchboard.pbx.AmiCallbackPbx pbxView, CallSignals signals, Metrics metrics) throws Exception {
    var cfg = settings.overflow();
    overflow = new switchboard.overflow.OverflowService(pbxView, cfg.enabled(), storedPolicies(settings), policyChanges(pbx.id()));
    var service = overflow;
    metrics.gauges("switchboard_queue_waiting", "Callers waiting in each queue now", "queue", () -> perQueue(service, v -> (double) v.waiting().size()));
    metrics.gauges("switchboard_queue_longest_wait_seconds", "The longest wait in each queue now", "queue",
        () -> perQueue(service, v -> v.longestWait(Instant.now()).toMillis() / 1000.0));
    metrics.gauges("switchboard_queue_members_free", "Members of each queue free to take a call now", "queue", () -> perQueue(service, v -> (double) v.free()));
    metrics.gauges("switchboard_queue_service_level", "Share of each queue's callers answered within 20 s (answered + abandoned, since start)", "queue",
        () -> perQueue(service, v -> v.stats().serviceLevel() == null ? Double.NaN : v.stats().serviceLevel()));
    if (!cfg.enabled()) return;
    var setup = new switchboard.overflow.OverflowActor.Setup(pbx.id(), cfg, pbx.zone(), pbxView, signals, Clock.systemUTC(), metrics, overflow.livePolicies());
    // One mover per PBX in the cluster, like the callback governor: a caller is never moved by two nodes at once.
    org.apache.pekko.cluster.typed.ClusterSingleton.get(system)
        .init(org.apache.pekko.cluster.typed.SingletonActor.of(switchboard.overflow.OverflowActor.create(setup), "overflow-" + pbx.id()));
  }

  /** The configured policies with the changes made through the API applied (read once, at start). */
  private java.util.List<switchboard.overflow.OverflowPolicy> storedPolicies(Settings settings) throws Exception {
    var store = ClusterSharding.get(system).entityRefFor(switchboard.overflow.OverflowPolicyStore.ENTITY_KEY, settings.pbx().id());
    var state = store.<switchboard.overflow.OverflowPolicyStore.State>ask(switchboard.overflow.OverflowPolicyStore.Get::new, ASK_TIMEOUT).toCompletableFuture()
        .get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    if (!state.overrides().isEmpty()) log.info("Overflow policies changed through the API and kept: {}", state.overrides().keySet());
    return state.over(settings.overflow().policies());
  }

  private switchboard.overflow.OverflowService.ChangeLog policyChanges(String pbxId) {
    var store = ClusterSharding.get(system).entityRefFor(switchboard.overflow.OverflowPolicyStore.ENTITY_KEY, pbxId);
    return new switchboard.overflow.OverflowService.ChangeLog() {
      public CompletionStage<?> put(switchboard.overflow.OverflowPolicy p) {
        return store.<switchboard.overflow.OverflowPolicyStore.State>ask(r -> new switchboard.overflow.OverflowPolicyStore.Put(p.spec(), Instant.now(), r), ASK_TIMEOUT);
      }

      public CompletionStage<?> remove(String queue) {
        return store.<switchboard.overflow.OverflowPolicyStore.State>ask(r -> new switchboard.overflow.OverflowPolicyStore.Remove(queue, Instant.now(), r), ASK_TIMEOUT);
      }
    };
  }

  private static java.util.Map<String, Double> perQueue(switchboard.overflow.OverflowService s, java.util.function.Function<switchboard.overflow.QueueView, Double> f) {
    var m = new java.util.HashMap<String, Double>();
    for (var v : s.queues()) m.put(v.queue(), f.apply(v));
    return m;
  }

  /** The DNC list (API and governor share it); empty until callbacks are configured. */
  private final switchboard.callback.DncList dnc;
  private final String dncTenant;
  private org.apache.pekko.actor.typed.ActorRef<switchboard.callback.GovernorActor.Command> governor;

  private void startCallbacks(Settings settings, Settings.Pbx pbx, switchboard.pbx.AmiCallbackPbx callbackPbx) throws java.io.IOException {
    var cfg = settings.callbacks();
    if (!cfg.dncFile().isBlank()) {
      var imported = dnc.importLines(java.nio.file.Files.readString(java.nio.file.Path.of(cfg.dncFile())));
      log.info("DNC list {}: {} numbers added, {} already listed, {} lines not numbers{}", cfg.dncFile(), imported.added(), imported.alreadyListed(), imported.rejected().size(),
          imported.rejected().isEmpty() ? "" : " (first: line " + imported.rejected().get(0).line() + ", " + imported.rejected().get(0).problem() + ")");
    }
    var callbackMetrics = new switchboard.callback.CallbackMetrics(metrics);
    String tenantPrefix = pbx.tenant() + ":";
    java.util.function.Supplier<CompletionStage<java.util.List<switchboard.callback.GovernorActor.PendingRecovery>>> open = () -> readStore
        .leads(java.util.Optional.of(switchboard.readside.Views.LeadFilter.OPEN), 20_000)
        .thenApply(list -> list.stream().filter(l -> l.id().startsWith(tenantPrefix) && l.recovery() != null).map(l -> {
          var r = l.recovery();
          var c = r.callbacks();
          var source = switchboard.lead.LeadSource.parse(r.source()).orElse(switchboard.lead.LeadSource.UNKNOWN);
          return new switchboard.callback.GovernorActor.PendingRecovery(l.id(), r.id(), l.callable() ? l.phoneNumber() : null, source, r.reason(), r.openedAt(), r.missCount(),
              c.attempts(), c.inFlight(), c.nextAttemptAt(), c.deferredUntil(), l.timeZone() == null ? null : java.time.ZoneId.of(l.timeZone()),
              switchboard.lead.LeadEntity.CALLBACK_REQUESTED.equals(r.reason()) || c.requestedAt() != null);
        }).toList());
    var setup = new switchboard.callback.GovernorActor.Setup(pbx.id(), cfg, pbx.zone(), callbackPbx, dnc, open, callbackClock, callbackMetrics);
    // One governor per PBX in the whole cluster (each node has its own AMI link to the PBX; the singleton uses the
    // link of the node it runs on), so two nodes never pace the same trunk twice. A single node hosts it at once.
    governor = org.apache.pekko.cluster.typed.ClusterSingleton.get(system)
        .init(org.apache.pekko.cluster.typed.SingletonActor.of(switchboard.callback.GovernorActor.create(setup), "callbacks-" + pbx.id()));
  }

  public switchboard.callback.DncList dnc() {
    return dnc;
  }

  /** Cancel / request / DNC for the API, by asking the lead (which owns its recovery) and poking the governor. */
  private final class Control implements switchboard.callback.CallbackControl {
    @Override
    public CompletionStage<Result> cancel(String leadId, String why) {
      return ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, leadId).<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
        if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
        if (!st.hasOpenRecovery()) return CompletableFuture.completedFuture(Result.NOTHING_OPEN);
        return ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, leadId)
            .<LeadEntity.Ack>ask(r -> new LeadEntity.Close(st.recovery().recoveryId(), switchboard.lead.RecoveryStatus.CANCELLED, why, Instant.now(), r), ASK_TIMEOUT)
            .thenApply(ack -> ack.recoveryStatus() == switchboard.lead.RecoveryStatus.CANCELLED ? Result.DONE : Result.NOTHING_OPEN);
      });
    }

    @Override
    public CompletionStage<Result> request(String leadId, String by) {
      return ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, leadId).<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
        if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
        if (st.identity().phoneNumber() == null) return CompletableFuture.completedFuture(Result.NOT_CALLABLE);
        return ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, leadId)
            .<LeadEntity.Ack>ask(r -> new LeadEntity.RequestCallback(Instant.now(), by, r), ASK_TIMEOUT)
            .thenApply(ack -> {
              if (governor != null) governor.tell(switchboard.callback.GovernorActor.Poke.INSTANCE);
              return ack.recoveryStatus() == null ? Result.NOT_CALLABLE : Result.DONE;
            });
      });
    }

    @Override
    public CompletionStage<Result> timeZone(String leadId, String zoneId) {
      var lead = ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, leadId);
      return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
        if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
        return lead.<LeadEntity.Ack>ask(r -> new LeadEntity.SetTimeZone(zoneId, Instant.now(), r), ASK_TIMEOUT).thenApply(ack -> {
          if (governor != null) governor.tell(switchboard.callback.GovernorActor.Poke.INSTANCE);
          return Result.DONE;
        });
      });
    }

    @Override
    public CompletionStage<String> dncAdd(String raw) {
      String e164 = dnc.normalise(raw); // IllegalArgumentException for the API's 400
      return dncStore().<switchboard.callback.DncEntity.Changed>ask(r -> new switchboard.callback.DncEntity.Add(e164, Instant.now(), r), ASK_TIMEOUT).thenApply(c -> {
        dnc.add(e164); // stored first: a restart keeps it
        return e164;
      });
    }

    @Override
    public CompletionStage<Boolean> dncRemove(String raw) {
      String e164 = dnc.normalise(raw);
      return dncStore().<switchboard.callback.DncEntity.Changed>ask(r -> new switchboard.callback.DncEntity.Remove(e164, Instant.now(), r), ASK_TIMEOUT)
          .thenApply(c -> dnc.remove(e164) || c.changed());
    }
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<switchboard.callback.DncEntity.Command> dncStore() {
    return ClusterSharding.get(system).entityRefFor(switchboard.callback.DncEntity.ENTITY_KEY, dncTenant);
  }

  /** Loads the stored DNC numbers now (blocking: at start) and every 5 s after (other nodes' additions). */
  private void loadDnc() throws Exception {
    var state = storedDnc().toCompletableFuture().get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    dnc.addStored(state.numbers());
    if (!state.numbers().isEmpty()) log.info("DNC list: {} numbers listed through the API", state.numbers().size());
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(5), Duration.ofSeconds(5),
        () -> storedDnc().thenAccept(s -> dnc.addStored(s.numbers())), system.executionContext());
  }

  private CompletionStage<switchboard.callback.DncEntity.State> storedDnc() {
    return dncStore().ask(switchboard.callback.DncEntity.Get::new, ASK_TIMEOUT);
  }

  /**
   * Shutdown order: first the PBX links stop taking events (log off), then the signals they already handed in are
   * stored, and only then do the shard regions hand off and stop. Otherwise a closing node keeps reading AMI for
   * the seconds its regions take to stop and hands signals to regions that can no longer store them — the call's
   * story then has holes that the next node cannot tell from a quiet call.
   */
  private void stopIntakeFirst() {
    var shutdown = org.apache.pekko.actor.CoordinatedShutdown.get(system);
    shutdown.addTask(org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "switchboard-stop-pbx-links", () -> {
      var stops = links.stream()
          .map(link -> org.apache.pekko.actor.typed.javadsl.AskPattern.<AmiLink.Command, org.apache.pekko.Done>ask(link, AmiLink.Stop::new, Duration.ofSeconds(3), system.scheduler())
              .toCompletableFuture().exceptionally(e -> org.apache.pekko.Done.getInstance()))
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(stops).thenCompose(v -> signals.whenIdle(DRAIN_ON_SHUTDOWN)).thenApply(left -> {
        if (left > 0) log.warn("Shutting down with {} PBX signals not stored; the next node recovers those calls from the PBX", left);
        else log.info("PBX links closed and every signal they handed in stored");
        return org.apache.pekko.Done.getInstance();
      });
    });
  }

  /** Starts a node; blocks until it serves HTTP. */
  public static Node start(Settings settings) throws Exception {
    return new Node(settings, ConfigFactory.empty(), Clock.systemUTC());
  }

  /** Starts a node with extra Pekko configuration layered on top (tests, benchmarks). */
  public static Node start(Settings settings, Config overrides) throws Exception {
    return new Node(settings, overrides, Clock.systemUTC());
  }

  /** Starts a node whose callback governor runs on {@code callbackClock} (tests of the calling window). */
  public static Node start(Settings settings, Config overrides, Clock callbackClock) throws Exception {
    return new Node(settings, overrides, callbackClock);
  }

  /**
   * A real journal round trip: recovering an entity that has no events runs the journal's queries through
   * sharding. Completes when the journal answered.
   */
  private CompletionStage<LeadEntity.State> journalProbe() {
    return ClusterSharding.get(system).entityRefFor(LeadEntity.ENTITY_KEY, "probe:readiness").ask(LeadEntity.Get::new, Duration.ofSeconds(30));
  }

  CompletionStage<HealthReport> readiness() {
    var journal = journalProbe().toCompletableFuture().orTimeout(3, TimeUnit.SECONDS).handle((ok, err) -> err == null && journalReady.get());
    var readSide = CompletableFuture.supplyAsync(readDb::ping, system.dispatchers().lookup(DispatcherSelector.fromConfig("switchboard.blocking-dispatcher")));
    return journal.thenCombine(readSide, (j, db) -> {
      var components = new LinkedHashMap<String, String>();
      boolean up = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
      components.put("journal", j ? "ready" : "unavailable");
      components.put("read-side", db ? "ready" : "unavailable");
      components.put("cluster", up ? "up" : "joining");
      boolean pbx = pbxStatus.values().stream().allMatch(st -> st.get().ready());
      if (pbxStatus.isEmpty()) components.put("pbx", "not-configured");
      else if (pbxStatus.size() == 1) components.put("pbx", pbxStatus.values().iterator().next().get().describe());
      else pbxStatus.forEach((id, st) -> components.put("pbx:" + id, st.get().describe()));
      return new HealthReport(j && db && up && pbx, components);
    });
  }

  /** Readiness right now, blocking up to a few seconds (benchmarks and scripts; the API uses {@link #readiness()}). */
  public boolean readyNow() {
    try {
      return readiness().toCompletableFuture().get(5, TimeUnit.SECONDS).ready();
    } catch (Exception e) {
      return false;
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public CallSignals signals() {
    return signals;
  }

  public ReadStore readStore() {
    return readStore;
  }

  public Metrics metrics() {
    return metrics;
  }

  public CallMetrics callMetrics() {
    return callMetrics;
  }

  public int httpPort() {
    return httpAddress.getPort();
  }

  /** Blocks until the actor system has stopped (for {@code serve}). */
  public void awaitTermination() throws Exception {
    system.getWhenTerminated().toCompletableFuture().get();
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    readDb.close();
  }
}
