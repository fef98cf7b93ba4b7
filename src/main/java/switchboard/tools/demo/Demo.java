package switchboard.tools.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import switchboard.Node;
import switchboard.Settings;
import switchboard.tools.cli.Durations;
import switchboard.tools.cli.PositiveNumber;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.sim.PbxSimulator;
import switchboard.tools.sim.TrafficDriver;
import switchboard.tools.sim.TrafficModel;
import switchboard.tools.sim.TrafficOptions;

/**
 * {@code demo}: a Switchboard node on the embedded H2 default plus a simulated Asterisk in one process —
 * real-Asterisk call recordings replayed over AMI at a steady pace — with a live one-line summary.
 */
@Command(
        name = "demo",
        sortOptions = false,
        description = {
            "A node plus a simulated Asterisk playing recorded real calls, with a live summary; Ctrl-C stops.",
            "Profiles: normal-day, peak-season, business-day; the traffic options change the profile's queue and arrivals."
        })
public final class Demo implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Traffic profile: normal-day, peak-season or business-day (default ${DEFAULT-VALUE}).")
    String profileName = "normal-day";

    @Option(
            names = "--rate",
            paramLabel = "CALLS_PER_S",
            converter = PositiveNumber.class,
            description = "Mean arrival rate (default: the profile's).")
    Double rate;

    @Option(
            names = {"--seconds", "--duration"},
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description = "Stop after this long (e.g. 60, 90s, 5m; a plain number is seconds; default: until Ctrl-C).")
    Duration duration;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Node settings (HOCON); SWITCHBOARD_* environment variables override them.")
    Path configFile;

    @Mixin
    TrafficOptions trafficOptions = new TrafficOptions();

    public Demo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Integer seconds = null;
        if (duration != null) {
            if (duration.isZero()) throw new IllegalArgumentException("demo: --seconds must be above 0");
            seconds = (int) Math.max(1, Math.round(duration.toMillis() / 1000.0));
        }
        var profile = TrafficModel.named(profileName);
        if (rate != null) profile = profile.withRate(rate);
        profile = trafficOptions.apply(profile);

        Settings base = Settings.load(configFile, System.getenv()).withKeptApiToken(err);
        Files.createDirectories(Path.of("data"));
        Path cdr = Path.of("data", "demo-cdr.csv");
        Files.deleteIfExists(cdr);
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        try (var pbx = new PbxSimulator("main", "switchboard", secret, cdr)) {
            var p = base.pbx();
            var settings = base.withSimulatedPbx(pbx.amiPort(), secret, cdr, Duration.ofMinutes(10));
            try (var node = Node.start(settings);
                    var traffic =
                            new TrafficDriver(pbx, new TrafficModel(profile, 42, p.zone()), CallTemplate.loadAll())) {
                String api = "http://" + settings.http().host() + ":" + node.httpPort();
                out.printf(
                        "Switchboard demo: simulated Asterisk 22 on 127.0.0.1:%d, profile %s at %.1f calls/s (recorded real calls: queue, direct dial, IVR, after hours)%n",
                        pbx.amiPort(), profile.name(), profile.callsPerSecond());
                out.printf(
                        "  calls:   %s/api/calls?status=missed   (Authorization: Bearer $(cat data/api-token))%n", api);
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
        return String.format(
                "[%tT] placed %d | on the line %d | answered %d | missed %s | %s",
                System.currentTimeMillis(),
                pbx.placed(),
                pbx.callersOnTheLine(),
                node.callMetrics().answeredCount(),
                node.callMetrics().missedSummary(),
                tables);
    }
}
