package switchboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Helpers for tests that run a real node: settings, HTTP calls, and waiting on a condition (never a sleep). */
public final class TestNodes {
    public static final String TOKEN = "test-token-123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestNodes() {}

    /** Settings for a node on the given database with a free HTTP and cluster port, plus optional HOCON. */
    public static Settings settings(String dbUrl, String dbUser, String hocon) throws IOException {
        return settings(dbUrl, dbUser, "", hocon);
    }

    public static Settings settings(String dbUrl, String dbUser, String dbPassword, String hocon) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_DB_URL", dbUrl);
        env.put("SWITCHBOARD_DB_USER", dbUser);
        env.put("SWITCHBOARD_DB_PASSWORD", dbPassword);
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_CLUSTER_PORT", "0");
        env.put("SWITCHBOARD_API_TOKEN", TOKEN);
        Path file = null;
        if (hocon != null) {
            file = Files.createTempFile("switchboard-test", ".conf");
            Files.writeString(file, hocon);
            file.toFile().deleteOnExit();
        }
        return Settings.load(file, env);
    }

    /** Environment for a node on an in-memory H2 with free ports, attached over AMI to 127.0.0.1:{@code amiPort}. */
    public static Map<String, String> amiNodeEnv(String h2Name, int amiPort, String amiSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_DB_URL", h2Url(h2Name));
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_CLUSTER_PORT", "0");
        env.put("SWITCHBOARD_API_TOKEN", TOKEN);
        env.put("SWITCHBOARD_AMI_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_AMI_PORT", Integer.toString(amiPort));
        env.put("SWITCHBOARD_AMI_SECRET", amiSecret);
        return env;
    }

    public static String h2Url(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    public record Response(int status, String body) {}

    public static Response get(int port, String path, String token) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /**
     * The value of one series in a /metrics text ({@code name} or {@code name{label="value"}}, as exposed), NaN when it
     * is absent. Compare values as numbers: the Prometheus client prints a counter's 1 as {@code 1.0}.
     */
    public static double metric(String metrics, String series) {
        for (String line : metrics.split("\n"))
            if (line.startsWith(series + " "))
                return Double.parseDouble(line.substring(series.length() + 1).strip());
        return Double.NaN;
    }

    public static Response send(int port, String method, String path, String token, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** {@code GET /api/leads/{number}} until {@code done} holds (an unknown lead reads as an empty object meanwhile). */
    public static com.fasterxml.jackson.databind.JsonNode awaitLead(
            int port, String number, Duration timeout, Predicate<com.fasterxml.jackson.databind.JsonNode> done)
            throws Exception {
        return await(
                timeout,
                () -> {
                    var r = get(port, "/api/leads/" + number, TOKEN);
                    return r.status() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
                },
                done);
    }

    /** Polls {@code probe} until {@code done} holds or the timeout passes; returns the last value. */
    public static <T> T await(Duration timeout, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.call();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("condition not met within " + timeout + "; last value: " + last);
            Thread.onSpinWait();
            Thread.sleep(20); // poll interval of the condition, not a synchronisation sleep
            last = probe.call();
        }
        return last;
    }
}
