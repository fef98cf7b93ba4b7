package switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

class MainTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command of the tree, the root included, with its qualified name (e.g. "bench-callbacks"; "" for the root). */
    private static List<CommandSpec> commands() {
        var cl = Main.commandLine(System.out, System.err);
        var all = new ArrayList<CommandSpec>();
        all.add(cl.getCommandSpec());
        cl.getSubcommands().values().forEach(sub -> all.add(sub.getCommandSpec()));
        return all;
    }

    private static void assertOneLine(Run r) {
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void unknownCommandsAndOptionsAreOneClearLine() {
        var r = run("serrve");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("switchboard: unknown command 'serrve' (did you mean serve?)"), r.err());
        assertOneLine(r);
        var opt = run("serve", "--port", "1");
        assertEquals(2, opt.code());
        assertTrue(opt.err().startsWith("switchboard: serve: Unknown options: '--port', '1'"), opt.err());
        assertOneLine(opt);
    }

    @Test
    void aBadOptionNamesItselfOnEveryCommand() {
        for (var spec : commands()) {
            String name = spec.name().equals(Main.NAME) ? null : spec.name();
            var args = name == null ? new String[] {"--no-such-option"} : new String[] {name, "--no-such-option"};
            var r = run(args);
            assertEquals(2, r.code(), name + ": " + r.err());
            assertTrue(
                    r.err().startsWith("switchboard: " + (name == null ? "" : name + ": "))
                            && r.err().contains("'--no-such-option'"),
                    r.err());
            assertOneLine(r);
        }
    }

    @Test
    void badCallbackBenchmarkOptionsAreOneClearLine() {
        var r = run("bench-callbacks", "--limit", "zero");
        assertEquals(2, r.code());
        assertEquals(
                "switchboard: bench-callbacks: Invalid value for option '--limit': must be a positive whole number, got 'zero' "
                        + "(see 'java -jar switchboard.jar bench-callbacks --help')",
                r.err().strip());
        var unknown = run("bench-callbacks", "--spike", "5");
        assertEquals(2, unknown.code());
        assertTrue(
                unknown.err().startsWith("switchboard: bench-callbacks: Unknown options: '--spike', '5'"),
                unknown.err());
        var missing = run("bench-callbacks", "--limit");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("'--limit'"), missing.err());
        assertOneLine(missing);
    }

    @Test
    void aMissingConfigFileStopsStartUpNamingIt() {
        var r = run("serve", "--config", "/nonexistent/switchboard.conf");
        assertEquals(2, r.code());
        assertEquals(
                "switchboard: bad setting: --config: cannot read file /nonexistent/switchboard.conf",
                r.err().strip());
        assertFalse(r.err().contains("Exception"));
    }

    @Test
    void helpListsEveryCommand() {
        for (var args : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {"-h"})) {
            var r = run(args);
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("Usage: java -jar switchboard.jar"), r.out());
            for (var command :
                    List.of("serve", "demo", "loadtest", "bench", "bench-entities", "bench-callbacks", "help"))
                assertTrue(r.out().contains("  " + command + " "), command);
        }
        var unknown = run("help", "nosuch");
        assertEquals(2, unknown.code());
        assertEquals(
                "switchboard: help: unknown command 'nosuch' (see 'java -jar switchboard.jar help --help')",
                unknown.err().strip());
        var none = run();
        assertEquals(2, none.code(), "a command is needed");
        assertTrue(none.out().startsWith("Usage: "), none.out());
    }

    /** Derived from the command tree: an option added without a description fails here. */
    @Test
    void everyCommandsHelpDescribesEveryOption() {
        for (var spec : commands()) {
            boolean root = spec.name().equals(Main.NAME);
            var viaFlag = root ? run("--help") : run(spec.name(), "--help");
            assertEquals(0, viaFlag.code(), spec.name() + ": " + viaFlag.err());
            assertTrue(viaFlag.err().isEmpty(), viaFlag.err());
            if (!root) assertEquals(viaFlag.out(), run("help", spec.name()).out(), "help " + spec.name());
            assertFalse(
                    spec.usageMessage().description().length == 0
                            || spec.usageMessage().description()[0].isBlank(),
                    spec.name() + " has a description");
            var args = new ArrayList<ArgSpec>(spec.options());
            args.addAll(spec.positionalParameters());
            for (var arg : args) {
                String what = spec.name() + " "
                        + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel());
                assertTrue(
                        arg.description().length > 0
                                && !String.join(" ", arg.description()).isBlank(),
                        what + " has a description");
                if (arg instanceof CommandLine.Model.OptionSpec o) {
                    for (var name : o.names())
                        assertTrue(viaFlag.out().contains(name), what + ": help shows " + name + "\n" + viaFlag.out());
                } else {
                    assertTrue(viaFlag.out().contains(arg.paramLabel()), what);
                }
                String firstWords = String.join(" ", arg.description())
                        .replace("${DEFAULT-VALUE}", "")
                        .split("[ (]")[0];
                assertTrue(viaFlag.out().contains(firstWords), what + ": help shows its description\n" + viaFlag.out());
            }
        }
    }

    @Test
    void versionIsTheBuildsOnEveryCommand() {
        var r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("(?s)switchboard \\d+\\.\\d+\\.\\d+\\S*\nJava .*"), r.out());
        assertEquals(r.out(), run("-V").out());
        assertEquals(r.out(), run("loadtest", "--version").out());
    }

    @Test
    void timesTakeUnitsAndTheOldPlainNumbers() {
        var cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofMillis(1500),
                cl.parseArgs("bench", "--hold", "1500ms").subcommand().matchedOptionValue("--hold", null));
        cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofMillis(500),
                cl.parseArgs("bench", "--hold-ms", "500").subcommand().matchedOptionValue("--hold", null),
                "the old spelling, in ms");
        cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofSeconds(30),
                cl.parseArgs("bench-callbacks", "--grace", "30s").subcommand().matchedOptionValue("--grace-ms", null));
        cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofMinutes(2),
                cl.parseArgs("demo", "--seconds", "2m").subcommand().matchedOptionValue("--seconds", null));
        cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofSeconds(90),
                cl.parseArgs("demo", "--duration", "90").subcommand().matchedOptionValue("--seconds", null),
                "plain: seconds");
        cl = Main.commandLine(System.out, System.err);
        assertEquals(
                Duration.ofHours(1),
                cl.parseArgs("loadtest", "--duration", "1h").subcommand().matchedOptionValue("--duration", null));
    }

    @Test
    void badTimesAreOneLineNamingTheOption() {
        var r = run("loadtest", "--duration", "30x");
        assertEquals(2, r.code());
        assertEquals(
                "switchboard: loadtest: Invalid value for option '--duration': '30x' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is seconds) "
                        + "(see 'java -jar switchboard.jar loadtest --help')",
                r.err().strip());
        var ms = run("bench", "--hold-ms", "soon");
        assertEquals(2, ms.code());
        assertTrue(
                ms.err()
                        .startsWith(
                                "switchboard: bench: Invalid value for option '--hold-ms': 'soon' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is milliseconds)"),
                ms.err());
        var fraction = run("loadtest", "--duration", "1500ms");
        assertEquals(2, fraction.code());
        assertEquals(
                "switchboard: loadtest: --duration needs whole seconds, got 1500 ms",
                fraction.err().strip());
        for (var bad : List.of(r, ms, fraction)) assertOneLine(bad);
    }
}
