package switchboard.pbx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real-Asterisk lab from the tests' side: {@code src/test/lab/asterisk-lab.sh} (Asterisk 22 in a Debian
 * forky chroot on loopback) and {@code src/test/lab/sipp.sh} (SIPp phones). Processes are always bounded.
 */
final class Lab {
    static final Path DIR = Path.of("src", "test", "lab").toAbsolutePath();
    static final String AMI_USER = "switchboard";

    private Lab() {}

    static String lab(Duration timeout, String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<String>();
        cmd.add("bash");
        cmd.add(DIR.resolve("asterisk-lab.sh").toString());
        cmd.addAll(List.of(args));
        return run(cmd, timeout);
    }

    static void start() throws Exception {
        lab(Duration.ofMinutes(10), "build");
        lab(Duration.ofMinutes(2), "start");
    }

    static void stop() throws Exception {
        lab(Duration.ofMinutes(1), "stop");
    }

    /** The lab's AMI secret: the [switchboard] user's secret in asterisk-config/manager.conf (a test secret). */
    static String amiSecret() throws IOException {
        boolean inUser = false;
        for (String line : Files.readAllLines(
                DIR.resolve("../../../asterisk-config/manager.conf").normalize())) {
            String l = line.strip();
            if (l.startsWith("[")) inUser = l.equals("[switchboard]");
            else if (inUser && l.startsWith("secret"))
                return l.substring(l.indexOf('=') + 1).replaceAll(";.*$", "").strip();
        }
        throw new IllegalStateException("no secret for [switchboard] in asterisk-config/manager.conf");
    }

    /** The CDR file Asterisk writes in the lab (asterisk-config/cdr_custom.conf). */
    static Path cdrFile() throws Exception {
        return Path.of(lab(Duration.ofSeconds(30), "path").strip(), "var/log/asterisk/cdr-custom/switchboard-cdr.csv");
    }

    /** Starts a SIPp phone ({@code sipp.sh <role> args…}) in the background; the caller stops it. */
    static Process sipp(String... args) throws IOException {
        var cmd = new ArrayList<String>();
        cmd.add("bash");
        cmd.add(DIR.resolve("sipp.sh").toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static String run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        var out = Files.createTempFile("lab", ".log");
        var p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", cmd) + " did not finish in " + timeout + ":\n" + Files.readString(out));
        }
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        if (p.exitValue() != 0)
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + text);
        return text;
    }
}
