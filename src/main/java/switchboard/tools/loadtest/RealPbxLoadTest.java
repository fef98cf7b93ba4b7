package switchboard.tools.loadtest;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import switchboard.Node;
import switchboard.Settings;
import switchboard.pbx.PbxSettings;
import switchboard.readside.ReadStore;
import switchboard.tools.sim.CallTemplate;

/**
 * {@code loadtest --ami HOST:PORT}: a node attached to a real Asterisk while something else places the calls (for the
 * repo's lab: {@code src/test/lab/loadtest-sipp.sh RATE SECONDS}). The ground truth is Asterisk's own CDR file
 * ({@code --cdr-file}, see {@link RealPbxTruth}): every inbound call that started during the run must end with the
 * outcome its CDR record gives, exactly once. Same report as against the simulator, without the simulator's
 * fault injection (cut the link or restart Asterisk yourself).
 */
final class RealPbxLoadTest {
    private RealPbxLoadTest() {}

    static int run(LoadTestOptions o, Settings base, PrintStream out) throws Exception {
        String[] hostPort = o.ami().split(":");
        if (hostPort.length != 2 || hostPort[0].isBlank())
            throw new IllegalArgumentException("loadtest: --ami needs HOST:PORT, got '" + o.ami() + "'");
        int port;
        try {
            port = Integer.parseInt(hostPort[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("loadtest: --ami needs HOST:PORT, got '" + o.ami() + "'");
        }
        var p = base.pbx();
        if (p.ami().secret() == null || p.ami().secret().isBlank()) {
            throw new IllegalArgumentException(
                    "loadtest: --ami needs the AMI secret in SWITCHBOARD_AMI_SECRET or SWITCHBOARD_AMI_SECRET_FILE");
        }
        Path cdr = o.cdrFile();
        if (cdr == null
                || (cdr.toAbsolutePath().getParent() != null
                        && !Files.isDirectory(cdr.toAbsolutePath().getParent())))
            throw new IllegalArgumentException(
                    "loadtest: --ami needs --cdr-file FILE, Asterisk's switchboard-cdr.csv (the ground truth)");
        var pbx = new PbxSettings(
                p.id(),
                p.tenant(),
                p.region(),
                p.zone(),
                p.inboundContexts(),
                new PbxSettings.Ami(hostPort[0], port, p.ami().user(), p.ami().secret()),
                cdr.toString(),
                Duration.ZERO); // only calls of this run count: look back nowhere
        var settings = base.withPbxes(List.of(pbx));
        Files.createDirectories(o.reportDir());
        var misses = new ConcurrentLinkedQueue<LoadReport.Miss>();
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var node = Node.start(settings)) {
            node.callMetrics().observeMisses((id, missedAt, storedAt) -> {
                if (missedAt != null) misses.add(new LoadReport.Miss(id, null, missedAt, storedAt));
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!node.readyNow()) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException(
                            "loadtest: the node did not get ready within 60 s (is Asterisk's AMI at " + o.ami() + "?)");
                Thread.sleep(200); // polling readiness
            }
            Instant t0 = Instant.now();
            long cpu0 = cpu.getProcessCpuTime();
            long maxHeap = 0;
            out.printf(
                    "loadtest: real PBX at %s for %d s (place the calls now, e.g. src/test/lab/loadtest-sipp.sh); ground truth %s; database %s%n",
                    o.ami(), o.seconds(), cdr, base.db().isPostgres() ? "PostgreSQL" : "H2");
            for (int s = 1; s <= o.seconds(); s++) {
                sleepUntil(t0.plusSeconds(s));
                maxHeap = Math.max(maxHeap, usedHeap());
                int width = 30, done = Math.min(width, s * width / o.seconds());
                out.printf(
                        "\r[%s%s] %3d/%ds answered %d, missed %d   ",
                        "#".repeat(done),
                        " ".repeat(width - done),
                        s,
                        o.seconds(),
                        node.callMetrics().answeredCount(),
                        node.callMetrics().missedCount());
            }
            Instant placingEnded = Instant.now();
            out.println();
            // Drain: until every call of the CDR has its outcome, or nothing has changed for 30 s (the last callers
            // hang up).
            Map<String, CallTemplate.Expected> truth = Map.of();
            Map<String, ReadStore.Outcome> seen = Map.of();
            long lastChange = System.nanoTime();
            int lastSize = -1;
            long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (System.nanoTime() < stopAt) {
                truth = RealPbxTruth.fromCdrFile(cdr, pbx.id(), t0, base.calls().shortAbandonThreshold());
                seen = node.readStore().outcomes().toCompletableFuture().get(30, TimeUnit.SECONDS);
                final var now = seen;
                int ended = (int) truth.keySet().stream()
                        .filter(id -> now.containsKey(id) && now.get(id).ended())
                        .count();
                if (truth.size() + ended != lastSize) {
                    lastSize = truth.size() + ended;
                    lastChange = System.nanoTime();
                }
                if ((!truth.isEmpty()
                                && ended == truth.size()
                                && System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5))
                        || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(30)) break;
                Thread.sleep(500); // polling the CDR file and the read side
            }
            Instant end = Instant.now();
            double wall = Math.max(1, Duration.between(t0, end).toNanos());
            var resources = new LoadReport.Resources(
                    maxHeap >> 20,
                    usedHeap() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20,
                    Math.round((cpu.getProcessCpuTime() - cpu0) / wall * 100) / 100.0,
                    0,
                    Runtime.getRuntime().availableProcessors());
            var report = LoadReport.build(new LoadReport.Facts(
                    o,
                    "real PBX " + o.ami(),
                    truth.size() / Math.max(1.0, o.seconds()),
                    base.db().isPostgres() ? "PostgreSQL" : "H2",
                    t0,
                    placingEnded,
                    end,
                    truth,
                    seen,
                    Map.of(),
                    Map.of(),
                    List.copyOf(misses),
                    List.of(),
                    List.of(),
                    resources,
                    null));
            LoadTest.write(report, o.reportDir(), out);
            return report.lost() + report.duplicated() + report.wrong() == 0 ? 0 : 1;
        }
    }

    private static long usedHeap() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) Thread.sleep(ms); // the run's clock: one progress line a second
    }
}
