package switchboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.booking.BookingDesk;
import switchboard.call.CallEntity;
import switchboard.call.CallMetrics;
import switchboard.call.CallOutcomeHandler;
import switchboard.call.CallPolicy;
import switchboard.call.CallSignals;
import switchboard.call.MissedCallClassifier;
import switchboard.callback.CallbackMetrics;
import switchboard.callback.CallbackRequests;
import switchboard.callback.DncEntity;
import switchboard.callback.DncList;
import switchboard.callback.DncService;
import switchboard.callback.GovernorActor;
import switchboard.common.HealthReport;
import switchboard.common.Json;
import switchboard.db.Database;
import switchboard.db.JdbcProjections;
import switchboard.db.JournalStatistics;
import switchboard.db.Schema;
import switchboard.http.ApiRoutes;
import switchboard.http.HttpServer;
import switchboard.intake.IntakeDesk;
import switchboard.ivr.QualifyingCall;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSourceResolver;
import switchboard.metrics.Metrics;
import switchboard.overflow.OverflowPolicyStore;
import switchboard.overflow.OverflowService;
import switchboard.pbx.FastAgi;
import switchboard.pbx.PbxLinks;
import switchboard.qualify.QualifyDesk;
import switchboard.readside.OpenRecoveriesQuery;
import switchboard.readside.ReadSide;
import switchboard.readside.ReadStore;

/**
 * One Switchboard node, wired: schema, actor system (a cluster of one unless seed nodes are configured), the sharded
 * entities, the projections, the PBX links, callbacks and overflow, and the HTTP API. The same code path serves one
 * node or many. Only wiring lives here: each feature starts itself ({@code XEntity.init}, {@code X.start}).
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    /** How long a shutting-down node waits for the signals its PBX links already handed in to be stored. */
    static final Duration DRAIN_ON_SHUTDOWN = Duration.ofSeconds(8);

    private final ActorSystem<Void> system;
    private final Database readDb;
    private final CallSignals signals;
    private final ReadStore readStore;
    private final Metrics metrics;
    private final CallMetrics callMetrics;
    private final DncService dnc;
    private final PbxLinks pbxLinks;
    private final InetSocketAddress httpAddress;
    private final FastAgi fastAgi;
    private final AtomicBoolean journalReady = new AtomicBoolean();

    /** {@code callbackClock}: the callback governor's clock (calling window, business hours, retries, pacing; tests move it). */
    private Node(Settings settings, Config overrides, Clock callbackClock) throws Exception {
        Schema.migrate(settings.db());
        Config config = overrides.withFallback(PekkoConfig.build(settings));
        this.system = ActorSystem.create(Behaviors.empty(), "switchboard", config);
        try {
            var cluster = Cluster.get(system);
            if (settings.cluster().seedNodes().isEmpty())
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            var primary = settings.pbx();

            this.metrics = Metrics.withJvmMetrics();
            this.callMetrics = new CallMetrics(metrics);
            var sites = new java.util.HashMap<String, CallPolicy.Site>();
            for (var p : settings.pbxes()) sites.put(p.id(), new CallPolicy.Site(p.tenant(), p.region()));
            var policy = new CallPolicy(
                    Map.copyOf(sites),
                    sites.get(primary.id()),
                    new LeadSourceResolver(settings.sources().byDid()),
                    new MissedCallClassifier(settings.calls().shortAbandonThreshold()));
            LeadEntity.init(system);
            CallEntity.init(system, policy, callMetrics, Clock.systemUTC());
            OverflowPolicyStore.init(system);
            DncEntity.init(system);
            BookingDesk.init(system);
            this.signals = new CallSignals(system, callMetrics, settings.calls().maxSignalsInFlight());

            journalProbe().toCompletableFuture().get(35, TimeUnit.SECONDS);
            journalReady.set(true);
            this.dnc = DncService.start(system, primary.tenant(), primary.region());

            var json = Json.mapper();
            this.readDb = new Database(settings.db(), "read-side");
            var projections = new JdbcProjections(system, readDb);
            ReadSide.start(projections, json);
            CallOutcomeHandler.start(system, projections, ASK_TIMEOUT);
            Executor blocking =
                    system.dispatchers().lookup(DispatcherSelector.fromConfig("switchboard.blocking-dispatcher"));
            this.readStore = new ReadStore(readDb, blocking, json);
            // Planner statistics of the journal, checked every 15 s (a cheap catalog query; ANALYZE only when stale).
            var statistics = new JournalStatistics(readDb);
            system.scheduler()
                    .scheduleWithFixedDelay(
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(15),
                            () -> blocking.execute(statistics::refresh),
                            system.executionContext());
            metrics.gauge("switchboard_up", "1 while the node runs", () -> 1);

            this.pbxLinks = PbxLinks.start(
                    system, settings.pbxes(), settings.sources().channelVariable(), signals, metrics, blocking);
            var primaryView = pbxLinks.view(primary.id());
            var callbacks = new CallbackRequests(system, dnc);
            if (settings.callbacks().enabled() && primaryView.isPresent()) {
                var cfg = settings.callbacks();
                if (!cfg.dncFile().isBlank()) dnc.importFile(cfg.dncFile());
                callbacks.notify(GovernorActor.startSingleton(
                        system,
                        new GovernorActor.Setup(
                                primary.id(),
                                primary.tenant(),
                                cfg,
                                primary.zone(),
                                primaryView.get(),
                                dnc.list(),
                                new OpenRecoveriesQuery(readStore),
                                callbackClock,
                                new CallbackMetrics(metrics))));
            }
            var overflow = OverflowService.start(
                    system,
                    primary.id(),
                    settings.overflow(),
                    primary.zone(),
                    primaryView.orElse(null),
                    signals,
                    metrics);
            stopIntakeFirst();

            var bookingDesk = new BookingDesk(
                    system, settings.booking(), settings.qualify().menu(), primary.tenant());
            var qualifyDesk = new QualifyDesk(system, settings.qualify());
            var q = settings.qualify();
            this.fastAgi = q.enabled()
                    ? FastAgi.start(
                            q.agiHost(),
                            q.agiPort(),
                            q.maxCalls(),
                            primary.id(),
                            new QualifyingCall(
                                    qualifyDesk, bookingDesk, Clock.systemUTC(), primary.tenant(), primary.region()),
                            metrics)
                    : null;
            var routes = new ApiRoutes(
                    readStore,
                    metrics,
                    settings.http().apiToken(),
                    this::readiness,
                    json,
                    primary.tenant(),
                    primary.region(),
                    callbacks,
                    overflow,
                    bookingDesk,
                    qualifyDesk,
                    new IntakeDesk(system, settings.intake(), qualifyDesk, primary.tenant(), primary.region()));
            this.httpAddress = HttpServer.start(
                            system, settings.http().host(), settings.http().port(), routes)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            log.info(
                    "Switchboard node up: API on http://{}:{}, journal {}",
                    httpAddress.getHostString(),
                    httpAddress.getPort(),
                    settings.db().isPostgres() ? "PostgreSQL" : "H2");
        } catch (Exception | Error e) {
            system.terminate();
            throw e;
        }
    }

    /**
     * Shutdown order: first the PBX links stop taking events (log off), then the signals they already handed in are
     * stored, and only then do the shard regions hand off and stop. Otherwise a closing node keeps reading AMI for
     * the seconds its regions take to stop and hands signals to regions that can no longer store them — the call's
     * story then has holes that the next node cannot tell from a quiet call.
     */
    private void stopIntakeFirst() {
        CoordinatedShutdown.get(system)
                .addTask(
                        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
                        "switchboard-stop-pbx-links",
                        () -> pbxLinks.stop(system, Duration.ofSeconds(3))
                                .thenCompose(v -> signals.whenIdle(DRAIN_ON_SHUTDOWN))
                                .thenApply(left -> {
                                    if (left > 0)
                                        log.warn(
                                                "Shutting down with {} PBX signals not stored; the next node recovers those calls from the PBX",
                                                left);
                                    else log.info("PBX links closed and every signal they handed in stored");
                                    return Done.getInstance();
                                }));
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
        return ClusterSharding.get(system)
                .entityRefFor(LeadEntity.ENTITY_KEY, "probe:readiness")
                .ask(LeadEntity.Get::new, Duration.ofSeconds(30));
    }

    CompletionStage<HealthReport> readiness() {
        var journal = journalProbe()
                .toCompletableFuture()
                .orTimeout(3, TimeUnit.SECONDS)
                .handle((ok, err) -> err == null && journalReady.get());
        var readSide = CompletableFuture.supplyAsync(
                readDb::ping,
                system.dispatchers().lookup(DispatcherSelector.fromConfig("switchboard.blocking-dispatcher")));
        return journal.thenCombine(readSide, (j, db) -> {
            var components = new LinkedHashMap<String, String>();
            boolean up = Cluster.get(system).selfMember().status().equals(MemberStatus.up());
            components.put("journal", j ? "ready" : "unavailable");
            components.put("read-side", db ? "ready" : "unavailable");
            components.put("cluster", up ? "up" : "joining");
            boolean pbx = pbxLinks.describe(components);
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

    /** The DNC list the governor checks (API and governor share it). */
    public DncList dnc() {
        return dnc.list();
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
        if (fastAgi != null) fastAgi.close();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        readDb.close();
    }
}
