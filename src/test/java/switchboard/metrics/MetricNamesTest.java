package switchboard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.call.PbxSignal;
import switchboard.tools.sim.AmiServer;

/**
 * Every series /metrics had before the Prometheus client took over is still there, by name and label names
 * ({@code series-before.txt}, scraped from the hand-written registry), and the JVM's own metrics are there too.
 * The node has everything that registers metrics switched on: an AMI link (simulator), callbacks, overflow.
 * Run with {@code -Dmetrics.series.write=DIR} to write the series and {@code # TYPE} lines it sees instead of checking them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricNamesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private AmiServer pbx;
    private Node node;

    @BeforeAll
    void start() throws Exception {
        pbx = new AmiServer(0, "switchboard", "sim-secret");
        var env = TestNodes.amiNodeEnv("MetricNamesTest", pbx.port(), "sim-secret");
        var file = Files.createTempFile("metric-names", ".conf");
        file.toFile().deleteOnExit();
        Files.writeString(file, """
        switchboard.callbacks {
          enabled = true
          queue = service
          dial = "PJSIP/{number}@customer"
          calling-window = "00:00-24:00"
        }
        switchboard.overflow {
          enabled = true
          queues { service { max-wait = 45s, to = "queue:overflow" } }
        }
        """);
        node = Node.start(Settings.load(file, env));
        await(WAIT, () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.close();
        if (pbx != null) pbx.close();
    }

    /** Brings every family onto /metrics: a signal routed, a queue seen, the governor up, an overflow move and offer counted. */
    private String scrape() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
        node.signals()
                .ask(
                        new PbxSignal.CallStarted("main", "900.1", t, "+19195550190", "SAM", "+18005550100", null),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .get();
        pbx.send(
                "Event: QueueCallerJoin\r\nPrivilege: agent,all\r\nTimestamp: " + t.getEpochSecond()
                        + ".000000\r\nChannel: PJSIP/carrier-0000001\r\n"
                        + "CallerIDNum: +19195550191\r\nUniqueid: 900.2\r\nLinkedid: 900.2\r\nQueue: service\r\nPosition: 1\r\nCount: 1\r\n\r\n");
        // Overflow counts moves and offers on first use; no caller is moved or offered here, so count them as the mover
        // does.
        node.metrics()
                .counter(
                        "switchboard_overflow_moves_total",
                        "Callers moved out of a queue by overflow, by reason",
                        "reason",
                        "WAIT");
        node.metrics()
                .counter(
                        "switchboard_overflow_offers_total",
                        "Callback offers answered by callers, by answer",
                        "accepted",
                        "true");
        return await(
                WAIT,
                () -> get(node.httpPort(), "/metrics", null).body(),
                m -> m.contains("switchboard_callback_open_recoveries")
                        && m.contains("queue=\"service\"")
                        && m.contains("switchboard_ami_events_total{pbx=\"main\"}"));
    }

    /** "name{label,label}" (label names sorted) of every sample line. */
    static TreeSet<String> series(String exposition) {
        var out = new TreeSet<String>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace < 0 || brace > space) {
                out.add(line.substring(0, space));
                continue;
            }
            String name = line.substring(0, brace);
            var labels = new TreeSet<String>();
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                labels.add(line.substring(i, eq));
                i = eq + 2; // past ="
                while (line.charAt(i) != '"') i += line.charAt(i) == '\\' ? 2 : 1;
                i++;
                if (line.charAt(i) == ',') i++;
            }
            out.add(name + "{" + String.join(",", labels) + "}");
        }
        return out;
    }

    /** The "# TYPE family type" lines. */
    static TreeSet<String> types(String exposition) {
        var out = new TreeSet<String>();
        for (String line : exposition.split("\n")) if (line.startsWith("# TYPE ")) out.add(line);
        return out;
    }

    private static List<String> missing(String resource, TreeSet<String> now) throws Exception {
        var before = new String(
                Objects.requireNonNull(MetricNamesTest.class.getResourceAsStream(resource), resource)
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        var missing = new ArrayList<String>();
        for (String s : before.split("\n")) if (!s.isBlank() && !now.contains(s)) missing.add(s);
        return missing;
    }

    @Test
    void everySeriesAndTypeOfBeforeIsStillThere() throws Exception {
        String text = scrape();
        var series = series(text);
        var types = types(text);
        String write = System.getProperty("metrics.series.write");
        if (write != null) {
            Files.writeString(Path.of(write, "series-before.txt"), String.join("\n", series) + "\n");
            Files.writeString(Path.of(write, "types-before.txt"), String.join("\n", types) + "\n");
            return;
        }
        assertEquals(
                List.of(),
                missing("series-before.txt", series),
                "series gone from /metrics; now:\n" + String.join("\n", series));
        assertEquals(
                List.of(),
                missing("types-before.txt", types),
                "families renamed or retyped on /metrics; now:\n" + String.join("\n", types));
    }

    @Test
    void theJvmAndTheProcessAreThereTooInThePrometheusTextFormat() throws Exception {
        var r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT));
        var series = series(r.body());
        for (String s : new String[] {
            "jvm_memory_used_bytes{area}",
            "jvm_gc_collection_seconds_count{gc}",
            "jvm_gc_collection_seconds_sum{gc}",
            "jvm_threads_current",
            "jvm_threads_state{state}",
            "jvm_classes_currently_loaded",
            "jvm_buffer_pool_used_bytes{pool}",
            "process_cpu_seconds_total",
            "process_start_time_seconds"
        }) {
            assertTrue(series.contains(s), s + " missing from /metrics:\n" + String.join("\n", series));
        }
        assertTrue(types(r.body()).contains("# TYPE jvm_gc_collection_seconds summary"), r.body());
    }
}
