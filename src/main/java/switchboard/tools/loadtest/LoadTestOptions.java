package switchboard.tools.loadtest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import switchboard.tools.sim.TrafficModel;
import switchboard.tools.sim.TrafficOptions;

/** {@code loadtest}'s command line: parsed and validated once, every mistake a one-line error. */
record LoadTestOptions(double rate, int seconds, String profile, Path config, Integer cutEvery, Path reportDir, List<Integer> restartAt, Integer pauseDbEvery,
    int pauseDbFor, TrafficOptions traffic, String ami, Path cdrFile, int warmup) {

  /** Seconds at the start whose misses the report also leaves out in a second, steady-state latency line. */
  static final int DEFAULT_WARMUP_S = 30;

  static final String HELP = """
      usage: java -jar switchboard.jar loadtest [options]
        --rate CALLS_PER_S        mean arrival rate before the profile's shaping (default 5)
        --duration SECONDS        how long calls are placed; the run then drains until every call is decided (default 60)
        --profile NAME            normal-day, peak-season or business-day (default peak-season)
        --cut-ami-every S         every S seconds drop the AMI link and refuse reconnects for 3 s
        --restart-node-at S[,S..] at second S close the node and start a new one (same settings, same process);
                                  calls that ended while it was down are recovered from the simulator's CDR file
        --pause-db-every S        PostgreSQL only: every S seconds stall the database connection (a loopback proxy
                                  stops forwarding bytes both ways; connections stay open)
        --pause-db-for S          how long each database pause lasts (default 3)
        --agents N                CSRs in the queue (default: sized from the rate and the profile's occupancy)
        --handle-time S           mean talk + wrap-up time per answered call
        --patience S              mean time a caller waits in the queue before hanging up
        --spike F@A+D             arrivals x F from second A for D seconds, e.g. 3@60+30
        --ami HOST:PORT           against a real Asterisk instead of the simulator: the calls come from elsewhere
                                  (src/test/lab/loadtest-sipp.sh RATE SECONDS for the lab); secret from
                                  SWITCHBOARD_AMI_SECRET(_FILE); ground truth from --cdr-file
        --cdr-file FILE           with --ami: Asterisk's switchboard-cdr.csv (asterisk-config/cdr_custom.conf)
        --warmup S                the report gives detection latency twice: for every miss, and for misses from
                                  second S on, when the JVM has compiled the hot code (default 30 on runs
                                  longer than 60 s, otherwise once; 0: once)
        --report-dir DIR          where loadtest-report.txt/.json/.html and the CDR file go (default data)
        --config FILE             node settings (HOCON); SWITCHBOARD_* environment variables override it
      """;

  static LoadTestOptions parse(List<String> allArgs) {
    TrafficOptions traffic;
    try {
      traffic = TrafficOptions.parse(allArgs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("loadtest: " + e.getMessage());
    }
    var args = traffic.rest();
    double rate = 5;
    int seconds = 60;
    String profile = "peak-season";
    Path config = null;
    Integer cut = null;
    Path dir = Path.of("data");
    List<Integer> restarts = List.of();
    Integer pauseEvery = null;
    Integer pauseFor = null;
    String ami = null;
    Path cdrFile = null;
    Integer warmup = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      if (v == null) throw new IllegalArgumentException("loadtest: " + a + " needs a value (see loadtest --help)");
      try {
        switch (a) {
          case "--rate" -> rate = Double.parseDouble(v);
          case "--duration" -> seconds = Integer.parseInt(v);
          case "--profile" -> profile = v;
          case "--config" -> config = Path.of(v);
          case "--cut-ami-every" -> cut = Integer.parseInt(v);
          case "--report-dir" -> dir = Path.of(v);
          case "--restart-node-at" -> restarts = seconds(v);
          case "--pause-db-every" -> pauseEvery = Integer.parseInt(v);
          case "--pause-db-for" -> pauseFor = Integer.parseInt(v);
          case "--ami" -> ami = v;
          case "--cdr-file" -> cdrFile = Path.of(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("loadtest: unknown option " + a + " (see loadtest --help)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("loadtest: " + a + " needs a number, got '" + v + "'");
      }
      i++;
    }
    if (rate <= 0 || seconds <= 0 || (cut != null && cut <= 0)) throw new IllegalArgumentException("loadtest: rate, duration and cut interval must be positive");
    for (int s : restarts) {
      if (s <= 0 || s >= seconds) throw new IllegalArgumentException("loadtest: --restart-node-at " + s + " must be within the run (1.." + (seconds - 1) + " s)");
    }
    if (pauseEvery != null && pauseEvery <= 0) throw new IllegalArgumentException("loadtest: --pause-db-every must be positive");
    if (pauseFor != null && pauseEvery == null) throw new IllegalArgumentException("loadtest: --pause-db-for needs --pause-db-every");
    int pause = pauseFor == null ? 3 : pauseFor;
    if (pause <= 0 || (pauseEvery != null && pause >= pauseEvery)) throw new IllegalArgumentException("loadtest: --pause-db-for must be positive and shorter than --pause-db-every");
    TrafficModel.named(profile);
    if (ami != null && (cut != null || !restarts.isEmpty() || pauseEvery != null || !traffic.consumed().isEmpty())) {
      throw new IllegalArgumentException("loadtest: --ami drives a real PBX: the simulator's traffic and fault options do not apply (cut the link or restart Asterisk yourself)");
    }
    if (cdrFile != null && ami == null) throw new IllegalArgumentException("loadtest: --cdr-file goes with --ami");
    if (warmup != null && (warmup < 0 || warmup >= seconds)) throw new IllegalArgumentException("loadtest: --warmup must be 0 or more and shorter than --duration");
    int warm = warmup != null ? warmup : DEFAULT_WARMUP_S < seconds / 2 ? DEFAULT_WARMUP_S : 0; // short runs: no split by default
    return new LoadTestOptions(rate, seconds, profile, config, cut, dir, restarts, pauseEvery, pause, traffic, ami, cdrFile, warm);
  }

  private static List<Integer> seconds(String v) {
    var out = new ArrayList<Integer>();
    for (String s : v.split(",")) out.add(Integer.parseInt(s.trim()));
    return List.copyOf(out);
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
