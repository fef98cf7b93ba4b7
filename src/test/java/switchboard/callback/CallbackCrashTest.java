package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.pbx.LabAccess;

/**
 * Crash safety of callbacks, against the real Asterisk: the node (its own JVM) is killed with SIGKILL while
 * callbacks ring, and started again on the same journal. No attempt is dialled twice (each attempt's ChannelId
 * names exactly one channel in Asterisk's CDR), and no lead is forgotten (each runs its schedule to the end).
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallbackCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LEADS = 4;
    private final List<Process> phones = new ArrayList<>();
    private Process node;
    private int port;
    private Path dir;
    private Path cdr;
    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        dir = Files.createTempDirectory("callback-crash");
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("node.conf"), """
        switchboard.callbacks {
          enabled = true
          grace-period = 1s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 6s
          max-concurrent = 10
          max-attempts-per-second = 10
          release = customer-first
          overshoot = 50
          calling-window = "00:00-24:00"
          retry { busy = [2s], no-answer = [2s], failed = [2s], machine = [2s], backoff-factor = 1, jitter = 0, max-attempts = 3 }
          poll = 200ms
        }
        """);
        env = new HashMap<>(Map.of(
                "SWITCHBOARD_DB_URL",
                "jdbc:h2:file:" + dir.resolve("db"),
                "SWITCHBOARD_HTTP_PORT",
                Integer.toString(port),
                "SWITCHBOARD_CLUSTER_PORT",
                "0",
                "SWITCHBOARD_API_TOKEN",
                TOKEN,
                "SWITCHBOARD_AMI_HOST",
                "127.0.0.1",
                "SWITCHBOARD_AMI_PORT",
                "5038",
                "SWITCHBOARD_AMI_SECRET",
                LabAccess.amiSecret(),
                "SWITCHBOARD_AMI_USER",
                LabAccess.AMI_USER,
                "SWITCHBOARD_CDR_FILE",
                cdr.toString()));
    }

    @AfterAll
    void stop() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        if (node != null) node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        LabAccess.stop();
    }

    /** The node in a JVM of its own, so the test can kill it like a power cut. */
    private Process startNode() throws Exception {
        // The product's own logging (not the tests' capturing one), into node.log for a failed run.
        String logback = Path.of(CallbackCrashTest.class
                        .getClassLoader()
                        .getResource("logback.xml")
                        .toURI())
                .toString();
        var cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                "switchboard.Main",
                "serve",
                "--config",
                dir.resolve("node.conf").toString());
        var pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
        pb.environment().putAll(env);
        var p = pb.start();
        await(
                Duration.ofSeconds(90),
                () -> {
                    try {
                        return get(port, "/readyz", null).status();
                    } catch (Exception e) {
                        return 0;
                    }
                },
                s -> s == 200);
        return p;
    }

    @Test
    void aKilledNodeNeitherDialsAnAttemptTwiceNorForgetsOne() throws Exception {
        node = startNode();
        phones.add(LabAccess.sipp("agent-ring-forever", "5070", "240")); // the customers' phone rings and rings
        var callers = new ProcessBuilder(
                        "env",
                        "SIPP_CALLER_PORT=5097",
                        "bash",
                        LabAccess.dir().resolve("sipp.sh").toString(),
                        "caller",
                        "+18005550105",
                        "+19195550500",
                        "1000",
                        Integer.toString(LEADS),
                        "4")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        phones.add(callers);
        assertTrue(callers.waitFor(60, TimeUnit.SECONDS));

        // Kill it while callbacks ring.
        await(
                Duration.ofSeconds(60),
                () -> JSON.readTree(get(port, "/api/callbacks?status=in_flight", TOKEN)
                                .body())
                        .size(),
                n -> n >= 2);
        node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        node = startNode();

        var numbers = new ArrayList<String>();
        for (int i = 0; i < LEADS; i++) numbers.add(String.format("+1919555%04d", 500 + i));
        for (var n : numbers) {
            var lead = await(
                    Duration.ofSeconds(120),
                    () -> JSON.readTree(get(port, "/api/leads/" + n, TOKEN).body()),
                    l -> "unreachable".equals(l.at("/lead/status").asText()));
            assertEquals(
                    3,
                    lead.at("/lead/recovery/callbacks/attempts").asInt(),
                    "every lead ran its schedule to the end: " + lead);
        }
        // On the PBX: every attempt's ChannelId is one channel, and every lead's three attempts were placed.
        var channelsOf = new HashMap<String, Set<String>>();
        for (var f : CallbackCdr.rows(cdr))
            channelsOf.computeIfAbsent(f.uniqueId(), k -> new HashSet<>()).add(f.channel());
        for (var n : numbers) {
            for (int a = 1; a <= 3; a++) {
                String id = CallbackCdr.channelOf(n, a);
                var channels = channelsOf.getOrDefault(id, Set.of());
                assertTrue(
                        channels.size() <= 1,
                        "attempt " + a + " of " + n + " dialled " + channels.size() + " times: " + channels);
            }
            long placed = java.util.stream.IntStream.rangeClosed(1, 3)
                    .filter(a -> channelsOf.containsKey(CallbackCdr.channelOf(n, a)))
                    .count();
            assertTrue(
                    placed >= 2,
                    "the attempts of " + n
                            + " reached the PBX (one may have been stored and not sent when the node died): " + placed);
        }
    }
}
