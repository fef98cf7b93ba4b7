package switchboard.tools.bench;

import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import switchboard.Node;
import switchboard.Settings;
import switchboard.call.CallEntity;
import switchboard.common.Json;
import switchboard.db.Databases;
import switchboard.lead.LeadEntity;
import switchboard.tools.cli.PositiveInt;

/**
 * Heap per live lead entity with N leads alive, and the time a restarted node takes to bring all N back.
 *
 * <ol>
 *   <li>Node A on a fresh database; 200 warm-up leads (JIT, pools, serializer caches), then the baseline: used heap
 *       after full GCs and a class histogram.
 *   <li>N leads fed real history ({@link LeadFeed}); sharding's own census confirms they are all alive (automatic
 *       passivation is off for the run: at production's 2-minute idle timeout the first leads would stop while the
 *       last are fed); heap and histogram again → bytes per live lead and what they are made of.
 *   <li>Node A stops; node B starts on the same database and asks every lead for its state, {@code --parallelism}
 *       asks in flight — what a restart needs: leads are not remembered entities, they come back on the first
 *       command for them (projection redelivery, API, callbacks). Timed until every one answered; all N must hold
 *       their fed history, and a sample must equal its state before the restart.
 * </ol>
 */
public final class EntityBenchmark {
    private static final int WARMUP = 200;

    private EntityBenchmark() {}

    /** The figures of one run. */
    public record Report(
            int entities,
            String feed,
            int feedFailures,
            double feedSeconds,
            int liveLeads,
            int liveCalls,
            long heapBaselineBytes,
            long heapLoadedBytes,
            double bytesPerLiveLead,
            List<HeapProbe.ClassGrowth> topClasses,
            int recovered,
            int recoveryFailures,
            int sampleChecked,
            int sampleMismatches,
            double recoverySeconds,
            double recoveryNodeCpuSeconds,
            double bytesPerRecoveredLead,
            int liveLeadsAfterRestart) {

        public double recoveredPerSecond() {
            return recovered / recoverySeconds;
        }
    }

    /** {@code bench-entities}' command line. */
    @picocli.CommandLine.Command(
            name = "bench-entities",
            sortOptions = false,
            description = {
                "Heap per live lead, and how long a restarted node takes to bring every lead back.",
                "Exit 1 if a lead is not recovered, its history differs, or the feed failed."
            })
    public static final class Command implements Callable<Integer> {
        private final PrintStream out;

        @Option(
                names = "--entities",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Leads to feed and bring back (default ${DEFAULT-VALUE}).")
        int entities = 100_000;

        @Option(
                names = "--parallelism",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Asks in flight while feeding and recovering (default ${DEFAULT-VALUE}).")
        int parallelism = 256;

        @Option(
                names = "--sample",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Leads whose state is compared before and after the restart (default ${DEFAULT-VALUE}).")
        int sample = 1000;

        @Option(
                names = "--top",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Classes listed by heap growth (default ${DEFAULT-VALUE}).")
        int top = 15;

        @Option(
                names = "--feed",
                paramLabel = "KIND",
                converter = Feed.class,
                description =
                        "outcomes (lead commands straight in) or calls (through call entities) (default ${DEFAULT-VALUE}).")
        String feed = "outcomes";

        @Option(
                names = "--db-url",
                paramLabel = "URL",
                description =
                        "JDBC URL of the scratch database, emptied each run unless --recover-only (default ${DEFAULT-VALUE}).")
        String dbUrl = "jdbc:postgresql://127.0.0.1:5432/switchboard_bench_entities?reWriteBatchedInserts=true";

        @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default ${DEFAULT-VALUE}).")
        String dbUser = "postgres";

        @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (default: none).")
        String dbPassword = "";

        @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the JSON figures to this file.")
        Path jsonFile;

        @Option(
                names = "--profile-recovery",
                paramLabel = "FILE",
                description = "Write a JFR recording of the recovery phase only to this file.")
        Path profileRecovery;

        @Option(
                names = "--recover-only",
                description = "Only the restart phase, on the database a previous run left (development).")
        boolean recoverOnly;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                mapFallbackValue = "",
                description =
                        "A Pekko setting for both nodes, e.g. --set pekko.persistence.max-concurrent-recoveries=200 (repeatable).")
        Map<String, String> pekko = new LinkedHashMap<>();

        public Command(PrintStream out) {
            this.out = out;
        }

        Options options() {
            for (var e : pekko.entrySet()) {
                if (e.getKey().isEmpty() || e.getValue().isEmpty())
                    throw new IllegalArgumentException(
                            "bench-entities: --set needs KEY=VALUE, got '" + e.getKey() + "'");
            }
            return new Options(
                    entities,
                    parallelism,
                    sample,
                    top,
                    feed,
                    dbUrl,
                    dbUser,
                    dbPassword,
                    jsonFile,
                    profileRecovery,
                    recoverOnly,
                    Map.copyOf(pekko));
        }

        @Override
        public Integer call() throws Exception {
            return run(options(), out);
        }
    }

    /** {@code --feed}: outcomes or calls. */
    static final class Feed implements ITypeConverter<String> {
        @Override
        public String convert(String v) {
            if (!v.equals("outcomes") && !v.equals("calls"))
                throw new TypeConversionException("must be outcomes or calls, got '" + v + "'");
            return v;
        }
    }

    static int run(Options opts, PrintStream out) throws Exception {
        var report = measure(opts, out);
        boolean ok =
                report.recovered() == opts.entities && report.sampleMismatches() == 0 && report.feedFailures() == 0;
        return ok ? 0 : 1;
    }

    public static Report measure(Options opts, PrintStream out) throws Exception {
        var env = BenchNode.env(opts.dbUrl, opts.dbUser, opts.dbPassword);
        // A scratch database (its name says bench) starts empty each run, so the figures do not depend on earlier runs.
        BenchNode.database(
                opts.dbUrl, opts.dbUser, opts.dbPassword, name -> name.contains("bench") && !opts.recoverOnly);
        var settings = Settings.load(null, env);
        var runtime = ManagementFactory.getRuntimeMXBean();
        out.printf(
                "Switchboard entity benchmark: %d leads (feed: %s), %d asks in flight, %s%n",
                opts.entities, opts.feed, opts.parallelism, opts.dbUrl.replaceAll("password=[^&]*", "password=***"));
        out.printf(
                "machine: %s; JVM %s %s, max heap %d MB, flags %s%n",
                Machine.describe(),
                runtime.getVmName(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                runtime.getInputArguments());
        if (HeapProbe.explicitGcDisabled())
            out.println("warning: explicit GC is disabled or concurrent; heap figures are not live data");

        String runId = Long.toString(System.currentTimeMillis(), 36);
        var settingsOverrides = new HashMap<String, Object>(
                Map.of("pekko.loglevel", "WARNING", "pekko.cluster.sharding.passivation.strategy", "none"));
        settingsOverrides.putAll(opts.pekko);
        var overrides = ConfigFactory.parseMap(settingsOverrides);
        if (!opts.pekko.isEmpty()) out.println("pekko overrides: " + opts.pekko);
        String tenant = settings.pbx().tenant(),
                region = settings.pbx().region(),
                pbx = settings.pbx().id();
        int n = opts.entities;

        // ---- node A: feed, census, heap ----
        int feedFailures = 0, liveLeads = 0, liveCalls = 0;
        double feedSeconds = 0;
        long heapBefore = 0, heapAfter = 0;
        List<HeapProbe.ClassGrowth> top = List.of();
        var sample = new LinkedHashMap<Integer, LeadEntity.State>();
        int sampleEvery = Math.max(1, n / opts.sample);
        if (!opts.recoverOnly)
            try (var node = Node.start(settings, overrides)) {
                var warm = new LeadFeed(node, "warmup", region, pbx, runId);
                if (LeadFeed.forEach(WARMUP, opts.parallelism, warm::outcomes) > 0)
                    throw new IllegalStateException("warm-up leads failed");
                awaitReadSide(node, WARMUP, Duration.ofSeconds(60), out);
                // A fresh database has no planner statistics yet; in service autovacuum keeps them (see
                // 001-journal.sql).
                if (opts.dbUrl.startsWith("jdbc:postgresql:"))
                    Databases.analyzeJournal(opts.dbUrl, opts.dbUser, opts.dbPassword);
                int liveAtBaseline = LiveEntities.count(node.system(), LeadEntity.ENTITY_KEY);
                var histBefore = HeapProbe.histogram(); // before the baseline, so the map itself is in both figures
                heapBefore = HeapProbe.usedAfterFullGc();

                var feed = new LeadFeed(node, tenant, region, pbx, runId);
                long t0 = System.nanoTime();
                double cpu0 = Machine.processCpuSeconds();
                feedFailures =
                        LeadFeed.forEach(n, opts.parallelism, opts.feed.equals("calls") ? feed::calls : feed::outcomes);
                if (opts.feed.equals("calls"))
                    feedFailures += feed.awaitComplete(n, opts.parallelism, Duration.ofMinutes(10));
                feedSeconds = (System.nanoTime() - t0) / 1e9;
                out.printf(
                        "fed %d leads in %.1f s (%.0f leads/s; node CPU %.1f s), %d failed%n",
                        n, feedSeconds, n / feedSeconds, Machine.processCpuSeconds() - cpu0, feedFailures);
                // Measure a quiet node: the read side has written every lead, no projection holds a batch.
                awaitReadSide(node, WARMUP + n, Duration.ofMinutes(2), out);

                liveLeads = LiveEntities.count(node.system(), LeadEntity.ENTITY_KEY) - liveAtBaseline;
                liveCalls = LiveEntities.count(node.system(), CallEntity.ENTITY_KEY);
                heapAfter = HeapProbe.usedAfterFullGc();
                top = HeapProbe.top(histBefore, HeapProbe.histogram(), opts.top);
                out.printf(
                        "live: %d new lead entities (census of the shard regions), %d call entities%n",
                        liveLeads, liveCalls);
                out.printf(
                        "heap: %.1f MB baseline -> %.1f MB with the leads alive: %.0f bytes per live lead%n",
                        heapBefore / 1e6, heapAfter / 1e6, (heapAfter - heapBefore) / (double) Math.max(1, liveLeads));
                out.println("top classes by growth (instances/lead, bytes/lead):");
                for (var c : top) {
                    out.printf(
                            "  %10.2f %8.1f  %s%n",
                            c.instances() / (double) Math.max(1, liveLeads),
                            c.bytes() / (double) Math.max(1, liveLeads),
                            c.className());
                }
                // The sample is taken after the heap figures, so it does not count towards them.
                for (int i = 0; i < n; i += sampleEvery)
                    sample.put(i, feed.get(i).toCompletableFuture().get());
            }

        // ---- node B: restart on the same database, bring every lead back ----
        int recoveryFailures, liveAfterRestart;
        double recoverySeconds, bytesPerRecovered, recoveryCpu;
        var recovered = new AtomicInteger();
        var mismatches = new ConcurrentHashMap<Integer, String>();
        try (var node = Node.start(settings, overrides)) {
            var feed = new LeadFeed(node, tenant, region, pbx, runId);
            long heapRestarted = HeapProbe.usedAfterFullGc();
            long t0 = System.nanoTime();
            double cpu0 = Machine.processCpuSeconds();
            var recording = opts.profileRecovery == null
                    ? null
                    : new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            if (recording != null) recording.start();
            recoveryFailures = LeadFeed.forEach(
                    n,
                    opts.parallelism,
                    i -> feed.get(i).whenComplete((s, err) -> {
                        if (err != null) return;
                        if (LeadFeed.complete(i, s)) recovered.incrementAndGet();
                        else mismatches.put(i, "incomplete history");
                        var before = sample.get(i);
                        if (before != null && !before.equals(s)) mismatches.put(i, "differs from before the restart");
                    }));
            recoverySeconds = (System.nanoTime() - t0) / 1e9;
            recoveryCpu = Machine.processCpuSeconds() - cpu0;
            if (recording != null) {
                recording.dump(opts.profileRecovery);
                recording.close();
            }
            liveAfterRestart = LiveEntities.count(node.system(), LeadEntity.ENTITY_KEY);
            bytesPerRecovered = (HeapProbe.usedAfterFullGc() - heapRestarted) / (double) Math.max(1, recovered.get());
        }
        out.printf(
                "restart: %d of %d leads recovered in %.2f s (%.0f leads/s; node CPU %.1f s = %.0f us per lead), %d asks failed; sample of %d: %d differ;"
                        + " %d lead entities live after; %.0f bytes per recovered lead%n",
                recovered.get(),
                n,
                recoverySeconds,
                recovered.get() / recoverySeconds,
                recoveryCpu,
                1e6 * recoveryCpu / Math.max(1, recovered.get()),
                recoveryFailures,
                sample.size(),
                mismatches.size(),
                liveAfterRestart,
                bytesPerRecovered);
        mismatches.entrySet().stream()
                .limit(5)
                .forEach(e -> out.printf(
                        "  lead %s: %s%n", LeadFeed.caller(e.getKey()).substring(0, 5) + "***", e.getValue()));

        var report = new Report(
                n,
                opts.feed,
                feedFailures,
                feedSeconds,
                liveLeads,
                liveCalls,
                heapBefore,
                heapAfter,
                (heapAfter - heapBefore) / (double) Math.max(1, liveLeads),
                top,
                recovered.get(),
                recoveryFailures,
                sample.size(),
                mismatches.size(),
                recoverySeconds,
                recoveryCpu,
                bytesPerRecovered,
                liveAfterRestart);
        double perLead = report.bytesPerLiveLead();
        out.printf(
                "goals: <= 2048 bytes per idle lead -> %s (%.0f); recovery of 100k <= 30 s -> %s (%.1f s for %d, %.0f leads/s)%n",
                perLead <= 2048 ? "met" : "NOT met",
                perLead,
                n >= 100_000 ? (recoverySeconds <= 30 ? "met" : "NOT met") : "n/a below 100k",
                recoverySeconds,
                n,
                report.recoveredPerSecond());
        String json = json(report, opts, runtime.getInputArguments());
        out.println("JSON " + json);
        if (opts.jsonFile != null) Files.writeString(opts.jsonFile, json + "\n");
        return report;
    }

    private static String json(Report r, Options opts, List<String> jvmFlags) throws Exception {
        var m = new LinkedHashMap<String, Object>();
        m.put("benchmark", "bench-entities");
        m.put("at", Instant.now().toString());
        m.put("report", r);
        m.put("recoveredPerSecond", r.recoveredPerSecond());
        m.put("parallelism", opts.parallelism);
        m.put("machine", Machine.describe());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put(
                "gc",
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(b -> b.getName())
                        .toList());
        m.put("jvmFlags", jvmFlags);
        return Json.mapper().writeValueAsString(m);
    }

    /**
     * Polls the read side (for the report, not to synchronise a test) until it shows {@code leads} leads, so the heap is
     * measured on a quiet node. A read side still behind at the deadline is reported, not fatal: its projections hold
     * at most one bounded batch each, nothing per lead.
     */
    private static void awaitReadSide(Node node, long leads, Duration deadline, PrintStream out) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long shown = 0;
        while (System.nanoTime() < end) {
            shown = node.readStore().counts().toCompletableFuture().get()[2];
            if (shown >= leads) return;
            Thread.sleep(200);
        }
        out.printf(
                "note: the read side shows %d of %d leads after %d s; measuring anyway%n",
                shown, leads, deadline.toSeconds());
    }

    /** Command-line options of {@code bench-entities}. */
    public record Options(
            int entities,
            int parallelism,
            int sample,
            int top,
            String feed,
            String dbUrl,
            String dbUser,
            String dbPassword,
            Path jsonFile,
            Path profileRecovery,
            boolean recoverOnly,
            Map<String, String> pekko) {
        /** Parses a {@code bench-entities} command line, as the command does. */
        public static Options parse(List<String> args) {
            var command = new Command(System.out);
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
            return command.options();
        }
    }
}
