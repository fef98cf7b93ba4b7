package switchboard.tools.bench;

import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Option;
import switchboard.Node;
import switchboard.Settings;
import switchboard.lead.CallbackOutcome;
import switchboard.tools.cli.Durations;
import switchboard.tools.cli.PositiveInt;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.sim.CalleeModel;
import switchboard.tools.sim.PbxSimulator;
import switchboard.tools.stats.Latencies;

/**
 * {@code bench-callbacks}: misses drain through the callback governor into the PBX simulator, and the figures
 * are taken on the PBX's side of the AMI wire. Phase 1 (trickle): misses arrive one at a time while capacity is
 * free — miss → first Originate p50/p99 (goal p99 ≤ 1 s). Phase 2 (spike): {@code --misses} misses within about a
 * second — miss → first Originate p50/p99, the time until every one was attempted, the most callback channels the
 * simulator saw live at once against the limit, and the backlog curve from {@code /metrics}. One attempt per lead
 * ({@code max-attempts = 1}), so every number must be dialled exactly once: a number dialled twice, a number never
 * dialled, or more channels than the limit fail the run (exit 1).
 */
public final class CallbackBenchmark {
    private CallbackBenchmark() {}

    record Options(
            int misses,
            int trickle,
            int limit,
            int rate,
            long graceMillis,
            String dbUrl,
            String dbUser,
            String dbPassword) {}

    /** {@code bench-callbacks}' command line. */
    @picocli.CommandLine.Command(
            name = "bench-callbacks",
            sortOptions = false,
            description = {
                "Misses drain through the callback governor into the PBX simulator: latency, channels, backlog.",
                "Prints miss -> first attempt p50/p99, the most callback channels live at once against the limit, and the backlog curve; "
                        + "exit 1 if a caller is dialled twice or never, or the channel limit is passed."
            })
    public static final class Command implements Callable<Integer> {
        private final PrintStream out;

        @Option(
                names = "--misses",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Misses in the spike of phase 2, within about a second (default ${DEFAULT-VALUE}).")
        int misses = 1000;

        @Option(
                names = "--trickle",
                paramLabel = "N",
                converter = PositiveInt.class,
                description = "Misses in phase 1, one every 500 ms while capacity is free (default ${DEFAULT-VALUE}).")
        int trickle = 40;

        @Option(
                names = "--limit",
                paramLabel = "CHANNELS",
                converter = PositiveInt.class,
                description = "Callback channels live at once, at most (default ${DEFAULT-VALUE}).")
        int limit = 20;

        @Option(
                names = "--rate",
                paramLabel = "ORIGINATES_PER_S",
                converter = PositiveInt.class,
                description = "Originates per second, at most (default ${DEFAULT-VALUE}).")
        int rate = 50;

        @Option(
                names = {"--grace", "--grace-ms"},
                paramLabel = "DURATION",
                converter = Durations.Millis.class,
                description =
                        "Grace period before a missed caller is called back (e.g. 2s, 500ms; a plain number is milliseconds; default 0).")
        Duration grace = Duration.ZERO;

        @Option(
                names = "--db-url",
                paramLabel = "URL",
                description = "JDBC URL of the scratch database, emptied each run (default ${DEFAULT-VALUE}).")
        String dbUrl = "jdbc:postgresql://127.0.0.1:5432/switchboard_bench_callbacks?reWriteBatchedInserts=true";

        @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default ${DEFAULT-VALUE}).")
        String dbUser = "postgres";

        @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (default: none).")
        String dbPassword = "";

        public Command(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            return run(new Options(misses, trickle, limit, rate, grace.toMillis(), dbUrl, dbUser, dbPassword), out);
        }
    }

    /** One missed caller: the number dialled back and when the PBX reported the miss (null until it did). */
    private static final class Caller {
        final String number;
        volatile Instant missedAt;

        Caller(String number) {
            this.number = number;
        }
    }

    static int run(Options o, PrintStream out) throws Exception {
        // A line per callback is the product's INFO log; the benchmark prints its own figures.
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger l) l.setLevel(ch.qos.logback.classic.Level.WARN);
        var dir = Files.createTempDirectory("switchboard-bench-callbacks");
        var env = BenchNode.env(o.dbUrl(), o.dbUser(), o.dbPassword());
        // Our own scratch database starts empty each run, so the figures do not depend on earlier runs.
        BenchNode.database(o.dbUrl(), o.dbUser(), o.dbPassword(), name -> name.startsWith("switchboard_bench"));
        // Customer first with an overshoot as large as the limit: the channel limit and the rate are what bind (the
        // simulator's callback queue has no CSR who answers). One attempt per lead, any hour.
        Path conf = dir.resolve("bench.conf");
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = %dms
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 5s
          max-concurrent = %d
          max-attempts-per-second = %d
          release = customer-first
          overshoot = %d
          calling-window = "00:00-24:00"
          retry { max-attempts = 1, max-attempts-per-day = 1 }
          poll = 100ms
        }
        switchboard.read-side.refresh-interval = 100ms
        """.formatted(o.graceMillis(), o.limit(), o.rate(), o.limit()));
        var base = Settings.load(conf, env);
        String secret = "bench-" + Long.toString(System.nanoTime(), 36);
        var template = CallTemplate.loadAll().get("queue-abandon");
        Files.createFile(
                dir.resolve("cdr.csv")); // the simulator appends its CDR rows; the node reads them after an AMI gap
        out.printf(
                "Switchboard callback benchmark: %d trickle misses, then a spike of %d; at most %d callback channels and %d Originates/s; grace %d ms; %s; "
                        + "%d cores, Java %s%n",
                o.trickle(),
                o.misses(),
                o.limit(),
                o.rate(),
                o.graceMillis(),
                o.dbUrl().replaceAll("password=[^&]*", "password=***"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        try (var pbx = new PbxSimulator(base.pbx().id(), "switchboard", secret, dir.resolve("cdr.csv"))) {
            // Customers answer after 0.3–1.5 s and talk 0.5–1.5 s, or are busy, or do not answer (rung for the 5 s
            // timeout).
            pbx.calleeModel(new CalleeModel(
                    11,
                    0.70,
                    0.15,
                    0.15,
                    0,
                    0,
                    Duration.ofMillis(300),
                    Duration.ofMillis(1500),
                    Duration.ofMillis(500),
                    Duration.ofMillis(1500),
                    Duration.ofMillis(200),
                    Map.of()));
            var settings = base.withSimulatedPbx(pbx.amiPort(), secret, dir.resolve("cdr.csv"), Duration.ZERO);
            try (var node = Node.start(settings, ConfigFactory.parseMap(Map.of("pekko.loglevel", "WARNING")))) {
                awaitReady(node);
                var byCall = new ConcurrentHashMap<String, Caller>();
                node.callMetrics().observeMisses((callId, missedAt, storedAt) -> {
                    var c = byCall.get(callId);
                    if (c != null && c.missedAt == null) c.missedAt = missedAt;
                });
                String pbxId = base.pbx().id();

                // Phase 1: one miss every 500 ms; capacity is free for each.
                var trickle = new ArrayList<Caller>();
                Instant t = Instant.now().plusMillis(200);
                for (int i = 0; i < o.trickle(); i++) {
                    var c = new Caller(String.format("+1919%03d%04d", 300, i));
                    trickle.add(c);
                    byCall.put(
                            pbxId + ":"
                                    + pbx.place(template, c.number, t.plusMillis(500L * i))
                                            .linkedId(),
                            c);
                }
                var sample = template.instantiate("+19190000000", Instant.EPOCH);
                out.printf(
                        "phase 1: %d misses, one every 500 ms (each call waits %.1f s in the queue, then hangs up)%n",
                        o.trickle(),
                        Duration.between(sample.frames().get(0).at(), sample.end())
                                        .toMillis()
                                / 1000.0);
                if (!awaitAttempted(pbx, trickle, Duration.ofMinutes(3)))
                    out.println("phase 1: not every miss was attempted within 3 minutes");
                awaitIdle(node, pbx, Duration.ofMinutes(2));
                var trickleLatencies = latencies(pbx, trickle);
                out.printf(
                        "phase 1: miss -> first attempt (Originate received by the PBX): p50 %s, p99 %s, max %s (%d of %d attempted)%n",
                        ms(trickleLatencies, 50),
                        ms(trickleLatencies, 99),
                        ms(trickleLatencies, 100),
                        trickleLatencies.count(),
                        trickle.size());

                // Phase 2: the spike.
                var spike = new ArrayList<Caller>();
                Instant s0 = Instant.now().plusMillis(500);
                for (int i = 0; i < o.misses(); i++) {
                    var c = new Caller(String.format("+1919%03d%04d", 400 + i / 10_000, i % 10_000));
                    spike.add(c);
                    // spread over one second, as a burst from many trunks would arrive
                    byCall.put(
                            pbxId + ":"
                                    + pbx.place(template, c.number, s0.plusNanos(1_000_000_000L * i / o.misses()))
                                            .linkedId(),
                            c);
                }
                Instant spikeMisses = template.instantiate("+19190000000", s0).end();
                out.printf(
                        "phase 2: a spike of %d misses within 1 s (they hang up at %s); backlog every 2 s:%n",
                        o.misses(), spikeMisses);
                out.println("     t   backlog  in-flight  on-PBX  attempted");
                long maxBacklog = 0;
                Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
                Instant lastRow = Instant.EPOCH;
                while (Instant.now().isBefore(deadline)) {
                    long attempted = spike.stream()
                            .filter(c -> pbx.firstOriginateAt(c.number) != null)
                            .count();
                    var m = node.metrics().render();
                    long backlog = gauge(m, "switchboard_callback_backlog"),
                            inFlight = gauge(m, "switchboard_callback_in_flight");
                    maxBacklog = Math.max(maxBacklog, backlog);
                    Instant now = Instant.now();
                    if (Duration.between(lastRow, now).toMillis() >= 2000 && now.isAfter(spikeMisses.minusSeconds(1))) {
                        lastRow = now;
                        out.printf(
                                "%6.1f  %8d  %9d  %6d  %9d%n",
                                Duration.between(spikeMisses, now).toMillis() / 1000.0,
                                backlog,
                                inFlight,
                                pbx.liveOriginated(),
                                attempted);
                    }
                    if (attempted == spike.size()
                            && pbx.liveOriginated() == 0
                            && gauge(m, "switchboard_callback_open_recoveries") == 0) break;
                    Thread.sleep(100); // sampling for the report, not synchronising
                }
                var spikeLatencies = latencies(pbx, spike);
                Instant lastFirst = spike.stream()
                        .map(c -> pbx.firstOriginateAt(c.number))
                        .filter(x -> x != null)
                        .max(Instant::compareTo)
                        .orElse(spikeMisses);
                out.printf(
                        "phase 2: miss -> first attempt: p50 %s, p99 %s, max %s; all %d attempted %.1f s after the spike (%.1f attempts/s); highest backlog %d%n",
                        ms(spikeLatencies, 50),
                        ms(spikeLatencies, 99),
                        ms(spikeLatencies, 100),
                        spikeLatencies.count(),
                        Duration.between(spikeMisses, lastFirst).toMillis() / 1000.0,
                        spikeLatencies.count()
                                / Math.max(
                                        0.001,
                                        Duration.between(spikeMisses, lastFirst).toMillis() / 1000.0),
                        maxBacklog);

                var metrics = node.metrics().render();
                var outcomes = new ArrayList<String>();
                for (var outcome : CallbackOutcome.values()) {
                    long n = labelled(metrics, "switchboard_callback_attempts_total", "outcome", outcome.name());
                    if (n > 0) outcomes.add(outcome.name().toLowerCase() + " " + n);
                }
                long lost = labelled(
                        metrics,
                        "switchboard_callback_attempts_total",
                        "outcome",
                        CallbackOutcome.LOST_IN_FLIGHT.name());
                out.println("attempts by outcome: " + String.join(", ", outcomes));
                // The invariants: never over the limit (as the PBX saw it), every number dialled, none twice.
                var everyone = new ArrayList<Caller>(trickle);
                everyone.addAll(spike);
                var never = everyone.stream()
                        .filter(c -> pbx.originatesTo(c.number) == 0)
                        .map(c -> c.number)
                        .toList();
                var twice = everyone.stream()
                        .filter(c -> pbx.originatesTo(c.number) > 1)
                        .map(c -> c.number + " x" + pbx.originatesTo(c.number))
                        .toList();
                int maxLive = pbx.maxConcurrentOriginated();
                out.printf(
                        "max callback channels live at once on the PBX: %d (limit %d); Originates received %d for %d missed callers; never dialled %d; dialled twice %d%n",
                        maxLive, o.limit(), pbx.originatesReceived(), everyone.size(), never.size(), twice.size());
                boolean goal = !trickleLatencies.isEmpty() && trickleLatencies.percentile(99) <= 1000 + o.graceMillis();
                out.printf(
                        "goal: miss -> first attempt p99 <= 1 s while capacity is free -> %s%n",
                        goal ? "met" : "NOT met");
                boolean ok = maxLive <= o.limit() && never.isEmpty() && twice.isEmpty() && lost == 0;
                if (lost > 0) out.println("LOST IN FLIGHT: " + lost + " attempts without a fault to explain it");
                if (!never.isEmpty())
                    out.println("NEVER DIALLED: " + never.subList(0, Math.min(20, never.size()))
                            + (never.size() > 20 ? " …" : ""));
                if (!twice.isEmpty())
                    out.println("DIALLED TWICE: " + twice.subList(0, Math.min(20, twice.size()))
                            + (twice.size() > 20 ? " …" : ""));
                if (maxLive > o.limit())
                    out.println("OVER THE LIMIT: " + maxLive + " channels live at once, limit " + o.limit());
                out.println(ok ? "invariants: held" : "invariants: BROKEN");
                return ok ? 0 : 1;
            }
        }
    }

    private static void awaitReady(Node node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!node.readyNow()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("bench-callbacks: the node did not become ready within 60 s");
            Thread.sleep(100); // polling readiness
        }
    }

    private static boolean awaitAttempted(PbxSimulator pbx, List<Caller> callers, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (callers.stream().allMatch(c -> pbx.firstOriginateAt(c.number) != null)) return true;
            Thread.sleep(100); // polling the simulator for the report
        }
        return false;
    }

    /** Until nothing is on the line and the governor follows no open recovery. */
    private static void awaitIdle(Node node, PbxSimulator pbx, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pbx.liveOriginated() == 0
                    && gauge(node.metrics().render(), "switchboard_callback_open_recoveries") == 0) return;
            Thread.sleep(100); // polling for the report
        }
    }

    /** Milliseconds from each caller's miss (the PBX's event time) to the PBX receiving the first Originate. */
    private static Latencies latencies(PbxSimulator pbx, List<Caller> callers) {
        var l = new Latencies();
        callers.stream()
                .filter(c -> c.missedAt != null && pbx.firstOriginateAt(c.number) != null)
                .forEach(c -> l.record(Duration.between(c.missedAt, pbx.firstOriginateAt(c.number))
                        .toMillis()));
        return l;
    }

    /** The percentile in ms (HdrHistogram: exact below 2 s, three significant digits above; 100: the maximum). */
    private static String ms(Latencies millis, double p) {
        return millis.isEmpty() ? "n/a" : millis.percentile(p) + " ms";
    }

    /** A sample with one label from the Prometheus text; 0 when absent. */
    static long labelled(String metrics, String name, String label, String value) {
        String prefix = name + "{" + label + "=\"" + value + "\"} ";
        for (var line : metrics.split("\n"))
            if (line.startsWith(prefix))
                return (long) Double.parseDouble(line.substring(prefix.length()).strip());
        return 0;
    }

    /** A gauge without labels from the Prometheus text; 0 when absent. */
    static long gauge(String metrics, String name) {
        for (var line : metrics.split("\n")) {
            if (line.startsWith(name + " "))
                return (long)
                        Double.parseDouble(line.substring(name.length() + 1).strip());
        }
        return 0;
    }
}
