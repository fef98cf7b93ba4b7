package switchboard.tools.loadtest;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import switchboard.Node;
import switchboard.Settings;
import switchboard.common.Json;
import switchboard.db.DbSettings;
import switchboard.readside.ReadStore;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.sim.PbxSimulator;
import switchboard.tools.sim.TcpProxy;
import switchboard.tools.sim.TrafficDriver;
import switchboard.tools.sim.TrafficModel;

/**
 * {@code loadtest}: a node against the built-in PBX simulator at a given rate and profile for a given time, with
 * optional faults (AMI link cuts, node restarts, database pauses); every second a sample of the run; then a
 * report against the simulator's ground truth — every call must have exactly the outcome the PBX gave it — as
 * text, JSON and HTML ({@link LoadReport}, {@link LoadReportHtml}).
 */
public final class LoadTest {
    private LoadTest() {}

    private static final int CUT_SECONDS = 3;
    private static final Pattern PG_URL = Pattern.compile("jdbc:postgresql://([^/:?,]+)(?::(\\d+))?(/.*)");

    static int run(LoadTestOptions o, PrintStream out, PrintStream err) throws Exception {
        if (o.ami() != null)
            return RealPbxLoadTest.run(
                    o, Settings.load(o.config(), System.getenv()).withKeptApiToken(err), out);
        var profile = o.traffic().apply(TrafficModel.named(o.profile()).withRate(o.rate()));
        Settings base = Settings.load(o.config(), System.getenv()).withKeptApiToken(err);
        if (o.pauseDbEvery() != null && !base.db().isPostgres()) {
            throw new IllegalArgumentException(
                    "loadtest: --pause-db-every needs PostgreSQL (switchboard.db.url / SWITCHBOARD_DB_URL); the embedded H2 has no connection to pause");
        }
        Files.createDirectories(o.reportDir());
        Path cdr = o.reportDir().resolve("loadtest-cdr.csv");
        Files.deleteIfExists(cdr);
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        try (var dbProxy = o.pauseDbEvery() == null ? null : proxyFor(base.db().url());
                var pbx = new PbxSimulator(base.pbx().id(), "switchboard", secret, cdr)) {
            Settings viaProxy =
                    dbProxy == null ? base : withDbUrl(base, rewritten(base.db().url(), dbProxy.port()));
            var p = base.pbx();
            var nodes = new Nodes(viaProxy, pbx, secret, cdr);
            try (nodes;
                    var traffic =
                            new TrafficDriver(pbx, new TrafficModel(profile, 7, p.zone()), CallTemplate.loadAll())) {
                nodes.start(Duration.ZERO); // the first node looks back nowhere: the simulator's CDR file is new
                out.printf(
                        "loadtest: profile %s at %.1f calls/s for %d s against the built-in PBX simulator%s; database %s%n",
                        profile.name(),
                        profile.callsPerSecond(),
                        o.seconds(),
                        faultsLine(o),
                        base.db().isPostgres() ? "PostgreSQL" : "H2");
                Instant t0 = Instant.now();
                var sampler = new LoadSampler(t0, pbx, base.pbx().id(), nodes, cdr);
                var ticks = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "loadtest-sampler"));
                ticks.scheduleAtFixedRate(sampler::sampleQuietly, 1, 1, TimeUnit.SECONDS);
                traffic.start();
                var faults = new Faults(t0, pbx, nodes, dbProxy);
                try {
                    for (int s = 1; s <= o.seconds() || faults.active(); s++) {
                        sleepUntil(t0.plusSeconds(s));
                        if (s == o.seconds()) traffic.stopPlacing();
                        faults.endDue(s);
                        if (s < o.seconds()) {
                            if (o.cutEvery() != null && s % o.cutEvery() == 0) faults.cutAmi(s, CUT_SECONDS);
                            if (o.pauseDbEvery() != null && s % o.pauseDbEvery() == 0)
                                faults.pauseDb(s, o.pauseDbFor());
                            if (o.restartAt().contains(s)) faults.restartNode();
                        }
                        if (s <= o.seconds()) out.print(progress(s, o.seconds(), pbx, nodes));
                    }
                    traffic.stopPlacing();
                    Instant placingEnded = Instant.now();
                    faults.awaitRestarts();
                    out.println();
                    var seen = drain(pbx, nodes);
                    Instant end = Instant.now();
                    ticks.shutdown();
                    ticks.awaitTermination(5, TimeUnit.SECONDS);
                    sampler.sample();
                    var startedAt = new java.util.HashMap<String, Instant>();
                    var truth = pbx.groundTruth();
                    for (var id : truth.keySet()) if (pbx.startedAt(id) != null) startedAt.put(id, pbx.startedAt(id));
                    var report = LoadReport.build(new LoadReport.Facts(
                            o,
                            profile.name(),
                            profile.callsPerSecond(),
                            base.db().isPostgres() ? "PostgreSQL" : "H2",
                            t0,
                            placingEnded,
                            end,
                            truth,
                            seen,
                            startedAt,
                            sampler.finishedAt(),
                            List.copyOf(nodes.misses),
                            faults.windows(),
                            sampler.samples(),
                            sampler.resources(),
                            pbxActivity(pbx, base)));
                    write(report, o.reportDir(), out);
                    return report.lost() + report.duplicated() + report.wrong() == 0 ? 0 : 1;
                } finally {
                    ticks.shutdownNow();
                    faults.endAll();
                }
            }
        }
    }

    /**
     * What Switchboard asked of the PBX, counted on the simulator's side of the wire: Originates (callbacks) and the
     * most originated channels live at once against the governor's channel limit (null: callbacks are off), and
     * Redirects (overflow moves).
     */
    static LoadReport.PbxActivity pbxActivity(PbxSimulator pbx, Settings settings) {
        var cb = settings.callbacks();
        return new LoadReport.PbxActivity(
                pbx.originatesReceived(),
                pbx.maxConcurrentOriginated(),
                cb.enabled() ? cb.limits().maxConcurrent() : null,
                pbx.redirectsReceived());
    }

    static void write(LoadReport report, Path dir, PrintStream out) throws Exception {
        String text = report.text();
        out.print(text);
        Path txt = dir.resolve("loadtest-report.txt"),
                json = dir.resolve("loadtest-report.json"),
                html = dir.resolve("loadtest-report.html");
        Files.writeString(txt, text);
        Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Files.writeString(html, LoadReportHtml.render(report));
        out.println("report: " + txt + ", " + json + ", " + html);
    }

    /**
     * Lets every placed call finish on the PBX and its outcome reach the read side: at most 3 minutes, and once
     * the PBX has finished every call, at most 30 s without one more outcome arriving (a lost call never will).
     */
    private static Map<String, ReadStore.Outcome> drain(PbxSimulator pbx, Nodes nodes) throws Exception {
        Map<String, ReadStore.Outcome> seen = Map.of();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long ended = -1, progressAt = System.nanoTime();
        while (System.nanoTime() < until) {
            var truth = pbx.groundTruth();
            seen = nodes.current().readStore().outcomes().toCompletableFuture().get(30, TimeUnit.SECONDS);
            final var now = seen;
            if (pbx.finished() == pbx.placed()
                    && truth.keySet().stream()
                            .allMatch(id -> now.containsKey(id) && now.get(id).ended())) break;
            long e = now.values().stream().filter(ReadStore.Outcome::ended).count();
            if (e != ended || pbx.finished() != pbx.placed()) progressAt = System.nanoTime();
            ended = e;
            if (System.nanoTime() - progressAt > TimeUnit.SECONDS.toNanos(30)) break;
            Thread.sleep(500); // poll interval
        }
        return seen;
    }

    private static String faultsLine(LoadTestOptions o) {
        var parts = new ArrayList<String>();
        if (o.cutEvery() != null) parts.add("AMI link cut every " + o.cutEvery() + " s");
        if (!o.restartAt().isEmpty()) parts.add("node restarted at " + o.restartAt() + " s");
        if (o.pauseDbEvery() != null)
            parts.add("database paused every " + o.pauseDbEvery() + " s for " + o.pauseDbFor() + " s");
        return parts.isEmpty() ? "" : "; " + String.join(", ", parts);
    }

    private static String progress(int s, int total, PbxSimulator pbx, Nodes nodes) {
        int width = 30;
        int done = Math.min(width, s * width / Math.max(1, total));
        return String.format(
                "\r[%s%s] %3d/%ds placed %d, on the line %d, answered %d, missed %d   ",
                "#".repeat(done),
                " ".repeat(width - done),
                s,
                total,
                pbx.placed(),
                pbx.callersOnTheLine(),
                nodes.answered(),
                nodes.missed());
    }

    /** A loopback proxy in front of the configured PostgreSQL, so a pause can stall the node's connections. */
    private static TcpProxy proxyFor(String url) throws Exception {
        var m = PG_URL.matcher(url);
        if (!m.matches())
            throw new IllegalArgumentException(
                    "loadtest: --pause-db-every needs a single-host jdbc:postgresql://HOST[:PORT]/DB URL, got another form");
        return new TcpProxy(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    static String rewritten(String url, int proxyPort) {
        var m = PG_URL.matcher(url);
        if (!m.matches()) throw new IllegalArgumentException("loadtest: not a single-host PostgreSQL URL");
        return "jdbc:postgresql://127.0.0.1:" + proxyPort + m.group(3);
    }

    private static Settings withDbUrl(Settings s, String url) {
        var db = new DbSettings(url, s.db().user(), s.db().password(), s.db().poolSize());
        return s.withDb(db);
    }

    static void sleepUntil(Instant at) throws InterruptedException {
        long ms = Duration.between(Instant.now(), at).toMillis();
        if (ms > 0) Thread.sleep(ms); // the run's clock: each second of the timeline starts on time
    }

    static Thread daemon(Runnable r, String name) {
        var t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The node under test, across restarts: each new one gets the same settings (its backfill window covering the
     * downtime) and the miss observer; its counters are added to those of the nodes before it.
     */
    static final class Nodes implements AutoCloseable {
        private final Settings settings;
        private final PbxSimulator pbx;
        private final String secret;
        private final Path cdr;
        final ConcurrentLinkedQueue<LoadReport.Miss> misses = new ConcurrentLinkedQueue<>();
        private final Object counts = new Object();
        private volatile Node node;
        private Node closing;
        private long answeredBefore, missedBefore;

        Nodes(Settings settings, PbxSimulator pbx, String secret, Path cdr) {
            this.settings = settings;
            this.pbx = pbx;
            this.secret = secret;
            this.cdr = cdr;
        }

        synchronized void start(Duration backfillWindow) throws Exception {
            var n = Node.start(settings.withSimulatedPbx(pbx.amiPort(), secret, cdr, backfillWindow));
            // Misses stored before this line (a backfill racing the start) are counted but have no latency sample.
            n.callMetrics().observeMisses((id, missedAt, storedAt) -> {
                if (missedAt != null) misses.add(new LoadReport.Miss(id, pbx.startedAt(id), missedAt, storedAt));
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!n.readyNow() && System.nanoTime() < deadline) Thread.sleep(100); // poll readiness
            node = n;
        }

        /** Closes the node; until {@link #start} the node is down (null). Its counters keep counting while it closes. */
        synchronized void stop() throws Exception {
            var n = node;
            if (n == null) return;
            synchronized (counts) {
                closing = n;
                node = null;
            }
            try {
                n.close();
            } finally {
                synchronized (counts) {
                    answeredBefore += n.callMetrics().answeredCount();
                    missedBefore += n.callMetrics().missedCount();
                    closing = null;
                }
            }
        }

        Node current() {
            var n = node;
            if (n == null) throw new IllegalStateException("no node running");
            return n;
        }

        boolean up() {
            return node != null;
        }

        /** Answers stored by every node of the run so far (never blocks: counters only). */
        long answered() {
            synchronized (counts) {
                return answeredBefore + count(node, true) + count(closing, true);
            }
        }

        long missed() {
            synchronized (counts) {
                return missedBefore + count(node, false) + count(closing, false);
            }
        }

        private static long count(Node n, boolean answered) {
            return n == null
                    ? 0
                    : answered
                            ? n.callMetrics().answeredCount()
                            : n.callMetrics().missedCount();
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }

    /** The fault timeline: starts each fault, ends it on time, and keeps every window for the report. */
    static final class Faults {
        private final Instant t0;
        private final PbxSimulator pbx;
        private final Nodes nodes;
        private final TcpProxy db;
        private final List<LoadReport.Fault> windows = new CopyOnWriteArrayList<>();
        private final List<Thread> restarts = new ArrayList<>();
        private Instant cutSince, pauseSince;
        private int cutEnds = -1, pauseEnds = -1;

        Faults(Instant t0, PbxSimulator pbx, Nodes nodes, TcpProxy db) {
            this.t0 = t0;
            this.pbx = pbx;
            this.nodes = nodes;
            this.db = db;
        }

        boolean active() {
            return cutSince != null || pauseSince != null;
        }

        void cutAmi(int s, int seconds) {
            if (cutSince != null) return;
            cutSince = Instant.now();
            cutEnds = s + seconds;
            pbx.server().refuse(true);
            pbx.server().dropConnections(); // the simulator keeps playing calls nobody hears
        }

        void pauseDb(int s, int seconds) {
            if (pauseSince != null) return;
            pauseSince = Instant.now();
            pauseEnds = s + seconds;
            db.pause();
        }

        /** Ends the faults due at second s. */
        void endDue(int s) {
            if (cutSince != null && s >= cutEnds) endCut();
            if (pauseSince != null && s >= pauseEnds) endPause();
        }

        void endAll() {
            if (cutSince != null) endCut();
            if (pauseSince != null) endPause();
        }

        private void endCut() {
            pbx.server().refuse(false);
            add("ami-cut", cutSince, Instant.now(), "AMI connections dropped, reconnects refused");
            cutSince = null;
        }

        private void endPause() {
            db.resume();
            add("db-pause", pauseSince, Instant.now(), "no bytes forwarded either way, connections open");
            pauseSince = null;
        }

        /** Close the node and start a new one, off the timeline's thread (a start takes seconds). */
        void restartNode() {
            var t = daemon(
                    () -> {
                        Instant down = Instant.now();
                        Instant closed = null;
                        String detail = "";
                        try {
                            nodes.stop();
                            closed = Instant.now();
                            // The new node must recover what ended while nobody listened: look back past the moment we
                            // closed.
                            nodes.start(Duration.between(down, closed).plusSeconds(30));
                            detail = String.format(
                                    "closed in %.1f s, new node ready %.1f s later",
                                    Duration.between(down, closed).toMillis() / 1000.0,
                                    Duration.between(closed, Instant.now()).toMillis() / 1000.0);
                        } catch (Exception e) {
                            detail = (closed == null ? "close failed: " : "new node failed to start: ") + e;
                            throw new IllegalStateException("loadtest: the restarted node did not start: " + e, e);
                        } finally {
                            add("node-restart", down, Instant.now(), detail);
                        }
                    },
                    "loadtest-restart");
            restarts.add(t);
            t.start();
        }

        void awaitRestarts() throws InterruptedException {
            for (var t : restarts) t.join(TimeUnit.SECONDS.toMillis(120));
            if (!nodes.up()) throw new IllegalStateException("loadtest: the node did not come back after a restart");
        }

        private void add(String kind, Instant from, Instant to, String detail) {
            windows.add(new LoadReport.Fault(kind, secs(from), secs(to), detail));
        }

        private double secs(Instant at) {
            return Math.round(Duration.between(t0, at).toMillis() / 100.0) / 10.0;
        }

        List<LoadReport.Fault> windows() {
            return windows.stream()
                    .sorted(java.util.Comparator.comparingDouble(LoadReport.Fault::fromS))
                    .toList();
        }
    }
}
