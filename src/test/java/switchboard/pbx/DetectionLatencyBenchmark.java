package switchboard.pbx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import switchboard.Node;
import switchboard.Settings;
import switchboard.tools.stats.Latencies;

/**
 * Detection latency on real calls: SIPp callers abandon a real Asterisk queue; for each call, the time from the
 * caller's BYE leaving SIPp (its message trace) to the miss being durably stored by the node (the call entity's
 * persist callback), with the node attached over AMI and journaling to PostgreSQL. Prints p50/p95/p99/max.
 *
 * <p>Run: {@code src/test/lab/bench-detection.sh [CALLS] [RATE]} (needs root for the lab, PostgreSQL on 5432).
 */
public final class DetectionLatencyBenchmark {
    private static final Pattern STAMP = Pattern.compile("^-{10,} (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d+)$");
    private static final Pattern FROM = Pattern.compile("^From:.*<sip:([+0-9]+)@");

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long holdMs = 3000;
        String db = "switchboard_bench_ami";

        Lab.start();
        var agents =
                List.of(Lab.sipp("agent-ring-forever", "5071", "900"), Lab.sipp("agent-ring-forever", "5072", "900"));
        var env = BenchNodes.freshPostgresEnv(db, 5038, Lab.amiSecret());
        Map<String, Instant> storedAt = new ConcurrentHashMap<>();
        Map<String, Instant> pbxAt = new ConcurrentHashMap<>();
        Path logDir = Files.createTempDirectory("sipp-bench");
        try (var node = Node.start(Settings.load(null, env))) {
            node.callMetrics().observeMisses((callId, missedAt, stored) -> {
                storedAt.put(callId, stored);
                pbxAt.put(callId, missedAt);
            });
            var readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!node.readyNow() && System.nanoTime() < readyDeadline) Thread.sleep(100);
            System.out.printf(
                    "Detection latency on real calls: %d calls at %d/s into a 2-agent ring-all queue (agents never answer), caller hangs up after %d ms; "
                            + "Asterisk 22.10 (lab chroot) + SIPp + node on PostgreSQL, %d cores, Java %s%n",
                    calls,
                    rate,
                    holdMs,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            var caller = new ProcessBuilder(
                            "env",
                            "SIPP_TRACE_MSG=1",
                            "SIPP_LOG_DIR=" + logDir,
                            "SIPP_CALLER_PORT=5061",
                            "bash",
                            Lab.DIR.resolve("sipp.sh").toString(),
                            "caller",
                            "+18005550100",
                            "+19195560000",
                            Long.toString(holdMs),
                            Integer.toString(calls),
                            Integer.toString(rate))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!caller.waitFor(calls / rate + 300, TimeUnit.SECONDS))
                throw new IllegalStateException("SIPp did not finish");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storedAt.size() < calls && System.nanoTime() < deadline) Thread.sleep(100);

            Map<String, Instant> byeAt = byeTimes(logDir.resolve("caller-5061-messages.log"));
            var latencies = new ArrayList<Long>();
            var pbxLatencies = new ArrayList<Long>();
            for (var e : storedAt.entrySet()) {
                var state = node.signals()
                        .get(e.getKey(), Duration.ofSeconds(10))
                        .toCompletableFuture()
                        .get();
                Instant bye = byeAt.get(state.lead().phoneNumber());
                if (bye != null)
                    latencies.add(Duration.between(bye, e.getValue()).toNanos());
                pbxLatencies.add(
                        Duration.between(pbxAt.get(e.getKey()), e.getValue()).toNanos());
            }
            System.out.printf(
                    "misses stored: %d of %d calls; BYE matched for %d%n", storedAt.size(), calls, latencies.size());
            print("caller's BYE sent -> miss durably stored", latencies);
            print("Asterisk HangupRequest -> miss durably stored", pbxLatencies);
        } finally {
            for (var a : agents) Lab.stop(a);
            Lab.stop();
        }
    }

    private static void print(String what, List<Long> nanos) {
        if (nanos.isEmpty()) {
            System.out.println(what + ": no samples");
            return;
        }
        var l = Latencies.of(nanos); // HdrHistogram percentiles, three significant digits; the maximum exact
        System.out.printf(
                "%s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)%n",
                what, l.percentile(50) / 1e6, l.percentile(95) / 1e6, l.percentile(99) / 1e6, l.max() / 1e6, l.count());
    }

    /** Caller number → time SIPp sent its BYE, from SIPp's -trace_msg log (local time stamps). */
    static Map<String, Instant> byeTimes(Path messages) throws Exception {
        var out = new HashMap<String, Instant>();
        var fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        List<String> lines = Files.readAllLines(messages);
        Instant stamp = null;
        boolean sentBye = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).replace("\r", "");
            var m = STAMP.matcher(l);
            if (m.matches()) {
                stamp = LocalDateTime.parse(m.group(1), fmt)
                        .atZone(ZoneId.systemDefault())
                        .toInstant();
                sentBye = i + 3 < lines.size()
                        && lines.get(i + 1).contains("message sent")
                        && lines.get(i + 3).startsWith("BYE ");
                continue;
            }
            if (sentBye) {
                var f = FROM.matcher(l);
                if (f.find()) {
                    out.putIfAbsent(f.group(1), stamp);
                    sentBye = false;
                }
            }
        }
        return out;
    }
}
