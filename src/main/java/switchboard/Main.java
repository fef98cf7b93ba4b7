package switchboard;

import switchboard.common.SettingsException;
import switchboard.tools.demo.Demo;
import switchboard.tools.loadtest.LoadTest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import switchboard.tools.bench.CallbackBenchmark;
import switchboard.tools.bench.CoreBenchmark;
import switchboard.tools.bench.EntityBenchmark;
import switchboard.db.Schema;

/** {@code java -jar switchboard.jar <command>}. Errors a user can fix are one line on stderr, never a stack trace. */
public final class Main {
  private Main() {}

  static final String USAGE = """
      usage: java -jar switchboard.jar <command> [options]

      commands:
        serve [--config FILE]     run a Switchboard node (embedded H2 unless SWITCHBOARD_DB_URL says otherwise)
        demo [--profile NAME] [--rate CALLS_PER_S] [--seconds N]
                                  a node plus a simulated Asterisk playing recorded real calls (normal-day,
                                  peak-season, business-day); a live summary; Ctrl-C stops
        loadtest [--rate N] [--duration S] [--profile NAME] [--cut-ami-every S] [--restart-node-at S[,S...]]
                 [--pause-db-every S --pause-db-for S] [--report-dir DIR]     (loadtest --help for details)
                                  the node against the PBX simulator, with faults; text/JSON/HTML report vs the
                                  simulator's ground truth
        bench [options]           feed synthetic calls through the entities into the journal and print rates
                                  (--calls N, --rate PER_SECOND, --db-url URL, --db-user U, --db-password P)
        bench-entities [options]  heap per live lead and recovery time after a restart (--entities N, --db-url URL)
        bench-callbacks [options] misses drain through the callback governor into the PBX simulator: miss -> first
                                  attempt p50/p99, max channels vs the limit, the backlog curve (--misses N,
                                  --trickle N, --limit N, --rate N, --grace-ms MS, --db-url URL)
        help                      this text

      configuration: HOCON file via --config, environment variables override it (see README).
      """;

  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    // Pekko's asks complete as Scala-converted CompletableFutures, which run every callback "async" on the common
    // ForkJoinPool. On a 2-core machine that pool has a parallelism of 1, and the JDK then starts a new thread per
    // callback (ThreadPerTaskExecutor): thousands a second under load. Our own hot paths pass an executor; this
    // keeps any other callback on a real pool. Must run before anything touches the common pool.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    System.setOut(new QuietStdout(System.out));
    System.exit(run(args, System.out, System.err));
  }

  /**
   * pekko-projection-jdbc 1.0.0 prints a debug line ("# stop …JdbcRunningProjection@…") to stdout for every
   * projection it stops; users of {@code demo} and {@code serve} should not see it on Ctrl-C.
   */
  private static final class QuietStdout extends PrintStream {
    QuietStdout(PrintStream out) {
      super(out, true);
    }

    @Override
    public void println(Object x) {
      if (!String.valueOf(x).startsWith("# stop org.apache.pekko.projection")) super.println(x);
    }

    @Override
    public void println(String x) {
      if (x == null || !x.startsWith("# stop org.apache.pekko.projection")) super.println(x);
    }
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    var rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (command) {
        case "serve":
          return serve(rest, err);
        case "bench":
          return CoreBenchmark.run(rest, out);
        case "bench-entities":
          return EntityBenchmark.run(rest, out);
        case "bench-callbacks":
          return CallbackBenchmark.run(rest, out);
        case "demo":
          return Demo.run(rest, out, err);
        case "loadtest":
          return LoadTest.run(rest, out, err);
        default:
          err.println("switchboard: unknown command '" + command + "'");
          err.print(USAGE);
          return 2;
      }
    } catch (SettingsException e) {
      err.println("switchboard: bad setting: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("switchboard: " + e.getMessage());
      return 2;
    } catch (Schema.SchemaException e) {
      err.println("switchboard: database: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("switchboard: failed to start: " + e);
      return 1;
    }
  }

  private static int serve(List<String> args, PrintStream err) throws Exception {
    Path configFile = null;
    var unknown = new ArrayList<String>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) configFile = Path.of(args.get(++i));
      else unknown.add(args.get(i));
    }
    if (!unknown.isEmpty()) throw new IllegalArgumentException("serve: unknown option(s) " + unknown + " (only --config FILE)");
    Settings settings = Settings.load(configFile, System.getenv());
    settings = withApiToken(settings, err);
    var node = Node.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        // shutting down anyway
      }
    }, "switchboard-shutdown"));
    node.awaitTermination();
    return 0;
  }

  /** No token configured: make one and keep it in data/api-token (0600), so restarts keep working. Never logged. */
  public static Settings withApiToken(Settings s, PrintStream err) throws IOException {
    if (!s.http().apiToken().isEmpty()) return s;
    Path file = Path.of("data", "api-token");
    String token;
    if (Files.isReadable(file)) {
      token = Files.readString(file).trim();
    } else {
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      token = HexFormat.of().formatHex(bytes);
      Files.writeString(file, token + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
    err.println("switchboard: no SWITCHBOARD_API_TOKEN set; API token is in " + file.toAbsolutePath());
    return s.withHttp(s.http().withApiToken(token));
  }
}
