package switchboard;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import switchboard.common.SettingsException;
import switchboard.common.Version;
import switchboard.db.Schema;
import switchboard.tools.bench.CallbackBenchmark;
import switchboard.tools.bench.CoreBenchmark;
import switchboard.tools.bench.EntityBenchmark;
import switchboard.tools.demo.Demo;
import switchboard.tools.loadtest.LoadTestCommand;

/**
 * {@code java -jar switchboard.jar <command>}: the command line, on picocli (help for every command and option,
 * {@code --version}, typed options). Errors a user can fix are one line on stderr, never a stack trace: exit 2 for a
 * usage or settings mistake, 1 when the command itself fails.
 */
public final class Main {
    private Main() {}

    /** What {@code java -jar switchboard.jar} is called in usage lines and error messages. */
    public static final String NAME = "java -jar switchboard.jar";

    @Command(
            name = NAME,
            scope = CommandLine.ScopeType.INHERIT,
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            sortOptions = false,
            usageHelpAutoWidth = true,
            showEndOfOptionsDelimiterInUsageHelp = false,
            description = {
                "Switchboard: self-hosted missed-call recovery for Asterisk.",
                "",
                "Configuration: a HOCON file via --config; SWITCHBOARD_* environment variables override it (see README). "
                        + "Times take a unit (30s, 1500ms, 2m, 1h); a plain number is in the option's old unit (seconds, or ms for the -ms spellings). "
                        + "Run '" + NAME + " COMMAND --help' for a command's options.",
                ""
            })
    static final class Root implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 2; // a command is needed
        }
    }

    /** {@code --version}: the project's version from the build, and the Java running it. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "switchboard " + Version.current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }

    @Command(
            name = "serve",
            sortOptions = false,
            description =
                    "Run a Switchboard node (embedded H2 unless SWITCHBOARD_DB_URL or the config file names PostgreSQL).")
    static final class Serve implements Callable<Integer> {
        private final PrintStream err;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "Node settings (HOCON); SWITCHBOARD_* environment variables override them.")
        Path config;

        Serve(PrintStream err) {
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            return serve(config, err);
        }
    }

    /** {@code help [COMMAND]}: picocli's own help command lets unknown options pass; this one names them like every other. */
    @Command(name = "help", description = "Show the usage of a command, or of " + NAME + " without one.")
    static final class Help implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(
                paramLabel = "COMMAND",
                arity = "0..1",
                description =
                        "The command to describe (serve, demo, loadtest, bench, bench-entities, bench-callbacks).")
        String command;

        @Override
        public void run() {
            var root = spec.parent().commandLine();
            var described = command == null ? root : root.getSubcommands().get(command);
            if (described == null)
                throw new ParameterException(spec.commandLine(), "unknown command '" + command + "'");
            described.usage(root.getOut());
        }
    }

    /** The command tree, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        var cl = new CommandLine(new Root());
        cl.addSubcommand(new Serve(err));
        cl.addSubcommand(new Demo(out, err));
        cl.addSubcommand(new LoadTestCommand(out, err));
        cl.addSubcommand(new CoreBenchmark.Command(out));
        cl.addSubcommand(new EntityBenchmark.Command(out));
        cl.addSubcommand(new CallbackBenchmark.Command(out));
        cl.addSubcommand(new Help());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, args) -> usageError(e, err));
        cl.setExecutionExceptionHandler((e, command, parsed) -> failure(e, err));
        return cl;
    }

    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // Pekko's asks complete as Scala-converted CompletableFutures, which run every callback "async" on the common
        // ForkJoinPool. On a 2-core machine that pool has a parallelism of 1, and the JDK then starts a new thread per
        // callback (ThreadPerTaskExecutor): thousands a second under load. Our own hot paths pass an executor; this
        // keeps any other callback on a real pool. Must run before anything touches the common pool.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(
                    COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
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
        return commandLine(out, err).execute(args);
    }

    /** A mistake on the command line: one line naming the command and the option, exit 2. */
    private static int usageError(ParameterException e, PrintStream err) {
        var cl = e.getCommandLine();
        String command =
                cl.getCommandSpec().qualifiedName(" ").replace(NAME, "").strip();
        if (command.isEmpty()
                && e instanceof UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            var suggestions = u.getSuggestions();
            err.println("switchboard: unknown command '" + u.getUnmatched().get(0) + "'"
                    + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)")
                    + "; commands: " + String.join(", ", cl.getSubcommands().keySet()));
            return 2;
        }
        String message = e.getMessage().lines().findFirst().orElse("bad usage");
        err.println("switchboard: " + (command.isEmpty() ? "" : command + ": ") + message + " (see '"
                + cl.getCommandSpec().qualifiedName(" ") + " --help')");
        return 2;
    }

    /** A command that stopped: a settings or input mistake is exit 2, anything else exit 1; one line either way. */
    private static int failure(Exception e, PrintStream err) {
        if (e instanceof SettingsException) {
            err.println("switchboard: bad setting: " + e.getMessage());
            return 2;
        } else if (e instanceof IllegalArgumentException) {
            err.println("switchboard: " + e.getMessage());
            return 2;
        } else if (e instanceof Schema.SchemaException) {
            err.println("switchboard: database: " + e.getMessage());
            return 1;
        }
        err.println("switchboard: failed to start: " + e);
        return 1;
    }

    private static int serve(Path configFile, PrintStream err) throws Exception {
        Settings settings = Settings.load(configFile, System.getenv());
        settings = settings.withKeptApiToken(err);
        var node = Node.start(settings);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                node.close();
                            } catch (Exception e) {
                                // shutting down anyway
                            }
                        },
                        "switchboard-shutdown"));
        node.awaitTermination();
        return 0;
    }
}
