package switchboard;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import switchboard.sim.CallTemplate;
import switchboard.sim.PbxSimulator;
import switchboard.sim.TrafficDriver;
import switchboard.sim.TrafficModel;

/**
 * {@code loadtest}: a node against the built-in PBX simulator at a given rate and profile for a given time,
 * optionally cutting the AMI link every N seconds; then a report against the simulator's ground truth — every
 * call must have exactly the outcome the real PBX gave it — as text and JSON.
 */
final class LoadTest {
  private LoadTest() {}

  record Options(double rate, int seconds, String profile, Path config, Integer cutEvery, Path reportDir) {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    var o = parse(args);
    var profile = TrafficModel.named(o.profile()).withRate(o.rate());
    Settings base = Main.withApiToken(Settings.load(o.config(), System.getenv()), err);
    Files.createDirectories(o.reportDir());
    Path cdr = o.reportDir().resolve("loadtest-cdr.csv");
    Files.deleteIfExists(cdr);
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    var latencies = new ConcurrentLinkedQueue<long[]>(); // {nanos, missedAt epoch ms, callId hash}
    var outages = new ConcurrentLinkedQueue<Instant[]>();
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (var pbx = new PbxSimulator("main", "switchboard", secret, cdr)) {
      var p = base.pbx();
      var settings = base.withSimulatedPbx(pbx.amiPort(), secret, cdr, Duration.ZERO);
      try (var node = Node.start(settings); var traffic = new TrafficDriver(pbx, new TrafficModel(profile, 7, p.zone()), CallTemplate.loadAll())) {
        var crossed = new java.util.concurrent.ConcurrentHashMap<String, Boolean>();
        node.callMetrics().observeMisses((id, missedAt, storedAt) -> {
          Instant start = pbx.startedAt(id);
          // A call that was on the line during an outage is decided late (after the reconnect): report it apart.
          boolean hit = start != null && outages.stream().anyMatch(w -> start.isBefore(w[1].plusSeconds(2)) && missedAt.isAfter(w[0]));
          latencies.add(new long[] {Duration.between(missedAt, storedAt).toNanos(), hit ? 1 : 0});
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!node.readyNow() && System.nanoTime() < deadline) Thread.sleep(100);
        out.printf("loadtest: profile %s at %.1f calls/s for %d s against the built-in PBX simulator%s; database %s%n", profile.name(), profile.callsPerSecond(),
            o.seconds(), o.cutEvery() == null ? "" : ", AMI link cut every " + o.cutEvery() + " s", settings.db().isPostgres() ? "PostgreSQL" : "H2");
        long cpu0 = cpu.getProcessCpuTime();
        Instant t0 = Instant.now();
        traffic.start();
        int cuts = 0;
        long maxHeap = 0;
        for (int s = 1; s <= o.seconds(); s++) {
          Thread.sleep(1000);
          maxHeap = Math.max(maxHeap, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
          if (o.cutEvery() != null && s % o.cutEvery() == 0) {
            cuts++;
            Instant cutAt = Instant.now();
            pbx.server().refuse(true);
            pbx.server().dropConnections();
            Thread.sleep(3000); // the outage: the simulator keeps playing calls nobody hears
            s += 3;
            pbx.server().refuse(false);
            outages.add(new Instant[] {cutAt, Instant.now()});
          }
          out.print(progress(s, o.seconds(), pbx, node));
        }
        traffic.stopPlacing();
        out.println();
        // Let every placed call finish on the PBX and its outcome reach the read side.
        var truth = pbx.groundTruth();
        Map<String, switchboard.readside.ReadStore.Outcome> seen = Map.of();
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < waitUntil) {
          seen = node.readStore().outcomes().toCompletableFuture().get();
          final var now = seen;
          if (pbx.finished() == pbx.placed() && truth.keySet().stream().allMatch(id -> now.containsKey(id) && now.get(id).ended())) break;
          Thread.sleep(500);
          truth = pbx.groundTruth();
        }
        double wall = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        double cpuSeconds = (cpu.getProcessCpuTime() - cpu0) / 1e9;
        var clean = latencies.stream().filter(l -> l[1] == 0).map(l -> l[0]).toList();
        var gap = latencies.stream().filter(l -> l[1] == 1).map(l -> l[0]).toList();
        var report = report(profile, o, truth, seen, new ArrayList<>(clean), new ArrayList<>(gap), cuts, wall, cpuSeconds, maxHeap);
        String text = text(report);
        out.print(text);
        Files.writeString(o.reportDir().resolve("loadtest-report.txt"), text);
        Files.writeString(o.reportDir().resolve("loadtest-report.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.println("report: " + o.reportDir().resolve("loadtest-report.txt") + ", " + o.reportDir().resolve("loadtest-report.json"));
        return ((Number) report.get("lost")).intValue() + ((Number) report.get("duplicated")).intValue() + ((Number) report.get("wrong")).intValue() == 0 ? 0 : 1;
      }
    }
  }

  private static String progress(int s, int total, PbxSimulator pbx, Node node) {
    int width = 30;
    int done = Math.min(width, s * width / Math.max(1, total));
    return String.format("\r[%s%s] %3d/%ds placed %d, on the line %d, answered %d, missed %d   ", "#".repeat(done), " ".repeat(width - done), s, total, pbx.placed(),
        pbx.callersOnTheLine(), node.callMetrics().answeredCount(), node.callMetrics().missedCount());
  }

  static Map<String, Object> report(TrafficModel.Profile profile, Options o, Map<String, CallTemplate.Expected> truth, Map<String, switchboard.readside.ReadStore.Outcome> seen,
      List<Long> latencies, List<Long> acrossOutages, int cuts, double wall, double cpuSeconds, long maxHeap) {
    int lost = 0, duplicated = 0, wrong = 0;
    var problems = new ArrayList<String>();
    var byReason = new TreeMap<String, Integer>();
    for (var e : truth.entrySet()) {
      var expected = e.getValue();
      var got = seen.get(e.getKey());
      if (got == null || !got.ended()) {
        lost++;
        problems.add("lost " + e.getKey() + " (expected " + expected.status() + " " + expected.reason() + ")");
        continue;
      }
      if (got.outcomeEvents() > 1) {
        duplicated++;
        problems.add("duplicated " + e.getKey() + " (" + got.outcomeEvents() + " outcomes)");
      }
      boolean same = expected.status().equals(got.status()) && java.util.Objects.equals(expected.reason(), got.missedReason());
      if (!same) {
        wrong++;
        problems.add("wrong " + e.getKey() + ": expected " + expected.status() + " " + expected.reason() + ", got " + got.status() + " " + got.missedReason());
      }
      if (got.missedReason() != null) byReason.merge(got.missedReason(), 1, Integer::sum);
    }
    long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    var r = new LinkedHashMap<String, Object>();
    r.put("profile", profile.name());
    r.put("rate", profile.callsPerSecond());
    r.put("seconds", o.seconds());
    r.put("amiCuts", cuts);
    r.put("calls", truth.size());
    r.put("missedByReason", byReason);
    r.put("detectionMs", percentiles(l));
    r.put("detectionAcrossOutagesMs", percentiles(acrossOutages.stream().mapToLong(Long::longValue).sorted().toArray()));
    r.put("lost", lost);
    r.put("duplicated", duplicated);
    r.put("wrong", wrong);
    r.put("problems", problems.size() > 50 ? problems.subList(0, 50) : problems);
    r.put("wallSeconds", wall);
    r.put("cpuCores", cpuSeconds / wall);
    r.put("maxHeapMb", maxHeap >> 20);
    r.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
    return r;
  }

  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> r) {
    var d = (Map<String, Object>) r.get("detectionMs");
    var g = (Map<String, Object>) r.get("detectionAcrossOutagesMs");
    return String.format("""
        calls %s (profile %s at %s calls/s for %s s, %s AMI cuts)
        missed by reason: %s
        detection (PBX hang-up -> miss durably stored): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%s misses)
        calls on the line during an AMI outage (decided from the CDR after the reconnect): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s misses)
        against the simulator's ground truth: %s lost, %s duplicated, %s wrong
        %s
        node CPU %.2f cores, max heap %s MB, %s
        """, r.get("calls"), r.get("profile"), r.get("rate"), r.get("seconds"), r.get("amiCuts"), r.get("missedByReason"), d.get("p50"), d.get("p95"), d.get("p99"),
        d.get("max"), d.get("samples"), g.get("p50"), g.get("p99"), g.get("max"), g.get("samples"), r.get("lost"), r.get("duplicated"), r.get("wrong"), String.join("\n", (List<String>) r.get("problems")), r.get("cpuCores"),
        r.get("maxHeapMb"), r.get("machine"));
  }

  private static Map<String, Object> percentiles(long[] l) {
    var m = new LinkedHashMap<String, Object>();
    m.put("p50", pct(l, 50));
    m.put("p95", pct(l, 95));
    m.put("p99", pct(l, 99));
    m.put("max", l.length == 0 ? 0 : l[l.length - 1] / 1e6);
    m.put("samples", l.length);
    return m;
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static Options parse(List<String> args) {
    double rate = 5;
    int seconds = 60;
    String profile = "peak-season";
    Path config = null;
    Integer cut = null;
    Path dir = Path.of("data");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      if (v == null) throw new IllegalArgumentException("loadtest: " + a + " needs a value");
      try {
        switch (a) {
          case "--rate" -> rate = Double.parseDouble(v);
          case "--duration" -> seconds = Integer.parseInt(v);
          case "--profile" -> profile = v;
          case "--config" -> config = Path.of(v);
          case "--cut-ami-every" -> cut = Integer.parseInt(v);
          case "--report-dir" -> dir = Path.of(v);
          default -> throw new IllegalArgumentException("loadtest: unknown option " + a
              + " (--rate CALLS_PER_S, --duration SECONDS, --profile NAME, --cut-ami-every SECONDS, --report-dir DIR, --config FILE)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("loadtest: " + a + " needs a number, got '" + v + "'");
      }
      i++;
    }
    if (rate <= 0 || seconds <= 0 || (cut != null && cut <= 0)) throw new IllegalArgumentException("loadtest: rate, duration and cut interval must be positive");
    TrafficModel.named(profile);
    return new Options(rate, seconds, profile, config, cut, dir);
  }
}
