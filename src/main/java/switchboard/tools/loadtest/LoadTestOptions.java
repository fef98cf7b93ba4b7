package switchboard.tools.loadtest;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import switchboard.tools.sim.TrafficOptions;

/** {@code loadtest}'s options, parsed and checked once by {@link LoadTestCommand}. */
record LoadTestOptions(
        double rate,
        int seconds,
        String profile,
        Path config,
        Integer cutEvery,
        Path reportDir,
        List<Integer> restartAt,
        Integer pauseDbEvery,
        int pauseDbFor,
        TrafficOptions traffic,
        String ami,
        Path cdrFile,
        int warmup) {

    /** Seconds at the start whose misses the report also leaves out in a second, steady-state latency line. */
    static final int DEFAULT_WARMUP_S = 30;

    /** Parses a {@code loadtest} command line (as {@link LoadTestCommand} does) and checks it. */
    static LoadTestOptions parse(List<String> args) {
        var command = new LoadTestCommand(System.out, System.err);
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.options();
    }

    /** The options as given, for the report. */
    Map<String, Object> asMap() {
        var m = new LinkedHashMap<String, Object>();
        m.put("rate", rate);
        m.put("duration", seconds);
        m.put("profile", profile);
        m.put("cutAmiEvery", cutEvery);
        m.put("restartNodeAt", restartAt);
        m.put("pauseDbEvery", pauseDbEvery);
        m.put("pauseDbFor", pauseDbEvery == null ? null : pauseDbFor);
        m.put("traffic", String.join(" ", traffic.consumed()));
        m.put("ami", ami);
        m.put("warmup", warmup);
        m.put("reportDir", reportDir.toString());
        m.put("config", config == null ? null : config.toString());
        return m;
    }
}
