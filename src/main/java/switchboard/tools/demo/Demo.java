package switchboard.tools.demo;

import switchboard.Main;
import switchboard.Node;
import switchboard.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.sim.PbxSimulator;
import switchboard.tools.sim.TrafficDriver;
import switchboard.tools.sim.TrafficModel;
import switchboard.tools.sim.TrafficOptions;

/**
 * {@code demo}: a Switchboard node on the embedded H2 default plus a simulated Asterisk in one process —
 * real-Asterisk call recordings replayed over AMI at a steady pace — with a live one-line summary.
 */
public final class Demo {
  private Demo() {}

  public static int run(List<String> allArgs, PrintStream out, PrintStream err) throws Exception {
    TrafficOptions trafficOptions;
    try {
      trafficOptions = TrafficOptions.parse(allArgs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("demo: " + e.getMessage());
    }
    var args = trafficOptions.rest();
    Path configFile = null;
    String profileName = "normal-day";
    Double rate = null;
    Integer seconds = null;
    var unknown = new ArrayList<String>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (a) {
        case "--config" -> { configFile = Path.of(need(a, v)); i++; }
        case "--profile" -> { profileName = need(a, v); i++; }
        case "--rate" -> { rate = positive(a, need(a, v)); i++; }
        case "--seconds" -> { seconds = (int) Math.round(positive(a, need(a, v))); i++; }
        default -> unknown.add(a);
      }
    }
    if (!unknown.isEmpty()) throw new IllegalArgumentException("demo: unknown option(s) " + unknown + " (--config FILE, --profile NAME, --rate CALLS_PER_S, --seconds N, "
        + TrafficOptions.USAGE + ")");
    var profile = TrafficModel.named(profileName);
    if (rate != null) profile = profile.withRate(rate);
    profile = trafficOptions.apply(profile);

    Settings base = Main.withApiToken(Settings.load(configFile, System.getenv()), err);
    Files.createDirectories(Path.of("data"));
    Path cdr = Path.of("data", "demo-cdr.csv");
    Files.deleteIfExists(cdr);
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    try (var pbx = new PbxSimulator("main", "switchboard", secret, cdr)) {
      var p = base.pbx();
      var settings = base.withSimulatedPbx(pbx.amiPort(), secret, cdr, java.time.Duration.ofMinutes(10));
      try (var node = Node.start(settings); var traffic = new TrafficDriver(pbx, new TrafficModel(profile, 42, p.zone()), CallTemplate.loadAll())) {
        String api = "http://" + settings.http().host() + ":" + node.httpPort();
        out.printf("Switchboard demo: simulated Asterisk 22 on 127.0.0.1:%d, profile %s at %.1f calls/s (recorded real calls: queue, direct dial, IVR, after hours)%n",
            pbx.amiPort(), profile.name(), profile.callsPerSecond());
        out.printf("  calls:   %s/api/calls?status=missed   (Authorization: Bearer $(cat data/api-token))%n", api);
        out.printf("  leads:   %s/api/leads?status=open%n", api);
        out.printf("  health:  %s/readyz   metrics: %s/metrics%n", api, api);
        out.println("  Ctrl-C stops.");
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
        traffic.start();
        long until = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!stop.await(2, TimeUnit.SECONDS)) {
          out.println(summary(pbx, node));
          if (System.nanoTime() > until) break;
        }
        traffic.stopPlacing();
      }
    }
    return 0;
  }

  static String summary(PbxSimulator pbx, Node node) {
    String tables;
    try {
      long[] c = node.readStore().counts().toCompletableFuture().get(2, TimeUnit.SECONDS);
      tables = String.format("calls %d, missed %d, leads %d", c[0], c[1], c[2]);
    } catch (Exception e) {
      tables = "read side busy";
    }
    return String.format("[%tT] placed %d | on the line %d | answered %d | missed %s | %s", System.currentTimeMillis(), pbx.placed(), pbx.callersOnTheLine(),
        node.callMetrics().answeredCount(), node.callMetrics().missedSummary(), tables);
  }

  private static String need(String option, String value) {
    if (value == null) throw new IllegalArgumentException("demo: " + option + " needs a value");
    return value;
  }

  private static double positive(String option, String value) {
    try {
      double d = Double.parseDouble(value);
      if (d > 0) return d;
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("demo: " + option + " must be a positive number, got '" + value + "'");
  }
}
