package switchboard.tools.loadtest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import switchboard.tools.cli.Durations;
import switchboard.tools.cli.PositiveNumber;
import switchboard.tools.sim.TrafficModel;
import switchboard.tools.sim.TrafficOptions;

/**
 * {@code loadtest}'s command line: typed options, then {@link #options()} checks how they go together (every
 * mistake a one-line error) and {@link LoadTest} runs. Times take a unit ({@code 30s}, {@code 2m}); a plain
 * number is seconds, as it always was; the run's timeline is in whole seconds.
 */
@Command(
        name = "loadtest",
        sortOptions = false,
        description = {
            "The node against the PBX simulator (or a real Asterisk), with faults; a text/JSON/HTML report.",
            "Judged against the simulator's ground truth (with --ami: Asterisk's CDR records); exit 1 if any call is lost, duplicated or wrong. "
                    + "Times take a unit (30s, 2m); a plain number is seconds."
        })
public final class LoadTestCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(
            names = "--rate",
            paramLabel = "CALLS_PER_S",
            converter = PositiveNumber.class,
            description = "Mean arrival rate before the profile's shaping (default ${DEFAULT-VALUE}).")
    double rate = 5;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description =
                    "How long calls are placed (e.g. 120, 90s, 2m); the run then drains until every call is decided (default 60s).")
    Duration duration = Duration.ofSeconds(60);

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "normal-day, peak-season or business-day (default ${DEFAULT-VALUE}).")
    String profile = "peak-season";

    @Option(
            names = "--cut-ami-every",
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description = "Every so often (e.g. 20s) drop the AMI link and refuse reconnects for 3 s.")
    Duration cutEvery;

    @Option(
            names = "--restart-node-at",
            paramLabel = "S",
            split = ",",
            converter = Durations.Seconds.class,
            description =
                    "At these seconds of the run (e.g. 40,80 or 40s,2m) close the node and start a new one (same settings, same process); "
                            + "calls that ended while it was down are recovered from the simulator's CDR file.")
    List<Duration> restartAt = new ArrayList<>();

    @Option(
            names = "--pause-db-every",
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description =
                    "PostgreSQL only: every so often stall the database connection (a loopback proxy stops forwarding bytes both ways; connections stay open).")
    Duration pauseDbEvery;

    @Option(
            names = "--pause-db-for",
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description = "How long each database pause lasts (default 3s).")
    Duration pauseDbFor;

    @Mixin
    TrafficOptions traffic = new TrafficOptions();

    @Option(
            names = "--ami",
            paramLabel = "HOST:PORT",
            description =
                    "Against a real Asterisk instead of the simulator: the calls come from elsewhere (src/test/lab/loadtest-sipp.sh RATE SECONDS "
                            + "for the lab); secret from SWITCHBOARD_AMI_SECRET(_FILE); ground truth from --cdr-file.")
    String ami;

    @Option(
            names = "--cdr-file",
            paramLabel = "FILE",
            description = "With --ami: Asterisk's switchboard-cdr.csv (asterisk-config/cdr_custom.conf).")
    Path cdrFile;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            converter = Durations.Seconds.class,
            description =
                    "The report gives detection latency twice: for every miss, and for misses from this second on, when the JVM has compiled "
                            + "the hot code (default 30s on runs longer than 60 s, otherwise once; 0: once).")
    Duration warmup;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description = "Where loadtest-report.txt/.json/.html and the CDR file go (default ${DEFAULT-VALUE}).")
    Path reportDir = Path.of("data");

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Node settings (HOCON); SWITCHBOARD_* environment variables override them.")
    Path config;

    public LoadTestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        return LoadTest.run(options(), out, err);
    }

    /** The options, checked together; every mistake a one-line {@link IllegalArgumentException}. */
    LoadTestOptions options() {
        int seconds = seconds("--duration", duration);
        Integer cut = cutEvery == null ? null : seconds("--cut-ami-every", cutEvery);
        var restarts = new ArrayList<Integer>();
        for (var r : restartAt) restarts.add(seconds("--restart-node-at", r));
        Integer pauseEvery = pauseDbEvery == null ? null : seconds("--pause-db-every", pauseDbEvery);
        Integer pauseFor = pauseDbFor == null ? null : seconds("--pause-db-for", pauseDbFor);
        Integer warm = warmup == null ? null : seconds("--warmup", warmup);
        if (seconds <= 0 || (cut != null && cut <= 0))
            throw new IllegalArgumentException("loadtest: rate, duration and cut interval must be positive");
        for (int s : restarts) {
            if (s <= 0 || s >= seconds)
                throw new IllegalArgumentException(
                        "loadtest: --restart-node-at " + s + " must be within the run (1.." + (seconds - 1) + " s)");
        }
        if (pauseEvery != null && pauseEvery <= 0)
            throw new IllegalArgumentException("loadtest: --pause-db-every must be positive");
        if (pauseFor != null && pauseEvery == null)
            throw new IllegalArgumentException("loadtest: --pause-db-for needs --pause-db-every");
        int pause = pauseFor == null ? 3 : pauseFor;
        if (pause <= 0 || (pauseEvery != null && pause >= pauseEvery))
            throw new IllegalArgumentException(
                    "loadtest: --pause-db-for must be positive and shorter than --pause-db-every");
        TrafficModel.named(profile);
        if (ami != null
                && (cut != null
                        || !restarts.isEmpty()
                        || pauseEvery != null
                        || !traffic.consumed().isEmpty())) {
            throw new IllegalArgumentException(
                    "loadtest: --ami drives a real PBX: the simulator's traffic and fault options do not apply (cut the link or restart Asterisk yourself)");
        }
        if (cdrFile != null && ami == null) throw new IllegalArgumentException("loadtest: --cdr-file goes with --ami");
        if (warm != null && (warm < 0 || warm >= seconds))
            throw new IllegalArgumentException("loadtest: --warmup must be 0 or more and shorter than --duration");
        int w = warm != null
                ? warm
                : LoadTestOptions.DEFAULT_WARMUP_S < seconds / 2
                        ? LoadTestOptions.DEFAULT_WARMUP_S
                        : 0; // short runs: no split by default
        return new LoadTestOptions(
                rate,
                seconds,
                profile,
                config,
                cut,
                reportDir,
                List.copyOf(restarts),
                pauseEvery,
                pause,
                traffic,
                ami,
                cdrFile,
                w);
    }

    private static int seconds(String option, Duration d) {
        return Durations.wholeSeconds("loadtest: " + option, d);
    }
}
