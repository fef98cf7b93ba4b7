package switchboard.pbx;

import java.nio.file.Path;

/** The Asterisk lab ({@link Lab}) for real-PBX tests outside this package. */
public final class LabAccess {
    public static final String AMI_USER = Lab.AMI_USER;

    private LabAccess() {}

    public static void start() throws Exception {
        Lab.start();
    }

    public static void stop() throws Exception {
        Lab.stop();
    }

    public static String amiSecret() throws Exception {
        return Lab.amiSecret();
    }

    public static Path cdrFile() throws Exception {
        return Lab.cdrFile();
    }

    public static Path dir() {
        return Lab.DIR;
    }

    public static Process sipp(String... args) throws Exception {
        return Lab.sipp(args);
    }

    /** An Asterisk CLI command in the lab (e.g. {@code queue pause member PJSIP/201 queue service}); its output. */
    public static String cli(String command) throws Exception {
        return Lab.lab(java.time.Duration.ofSeconds(30), "cli", command);
    }

    /**
     * A node attached to the lab's Asterisk over AMI (in-memory H2 named {@code name}, the lab's CDR file) with
     * {@code hocon} on top of the defaults; returns once it is ready.
     */
    public static switchboard.Node startNode(String name, String hocon) throws Exception {
        Path conf = java.nio.file.Files.createTempFile(name, ".conf");
        java.nio.file.Files.writeString(conf, hocon);
        var env = switchboard.TestNodes.amiNodeEnv(name, 5038, amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", cdrFile().toString());
        env.put("SWITCHBOARD_AMI_USER", AMI_USER);
        var node = switchboard.Node.start(switchboard.Settings.load(conf, env));
        switchboard.TestNodes.await(
                java.time.Duration.ofSeconds(60),
                () -> switchboard.TestNodes.get(node.httpPort(), "/readyz", null),
                r -> r.status() == 200);
        return node;
    }

    /** A SIPp caller ({@code sipp.sh caller …} or {@code caller-press …}) from SIP port {@code port}, output discarded. */
    public static Process sippCaller(int port, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(
                "env",
                "SIPP_CALLER_PORT=" + port,
                "bash",
                dir().resolve("sipp.sh").toString()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    public static void stop(Process p) throws InterruptedException {
        Lab.stop(p);
    }
}
