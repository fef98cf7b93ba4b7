package switchboard.tools.loadtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import switchboard.common.Json;
import switchboard.readside.ReadStore;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.stats.Latencies;

/**
 * What one {@code loadtest} run measured, judged against the simulator's ground truth. Plain data: the text,
 * JSON ({@link Json#mapper()} of this record) and HTML ({@link LoadReportHtml}) renderings read only this.
 * Times in the series and the fault windows are seconds since traffic started.
 */
record LoadReport(
        Run run,
        long calls,
        Map<String, Integer> missedByReason,
        Latency detectionMs,
        Latency detectionAfterWarmupMs,
        Latency detectionAcrossOutagesMs,
        Latency detectionAcrossRestartsMs,
        Latency detectionAcrossDbPausesMs,
        int lost,
        int duplicated,
        int wrong,
        List<Problem> problems,
        int problemsNotListed,
        Resources resources,
        PbxActivity pbx,
        int amiCuts,
        int restarts,
        int dbPauses,
        List<Fault> faults,
        List<Sample> samples) {

    static final int MAX_PROBLEMS = 200;
    /** Upper bounds of the detection-latency histogram's buckets, in ms; a last bucket holds everything above. */
    static final double[] BUCKETS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000};
    /** A call whose life overlaps a fault window, or ends up to this long after it, is counted as hit by it. */
    static final Duration FAULT_MARGIN = Duration.ofSeconds(2);

    record Run(
            String profile,
            double rate,
            int seconds,
            String database,
            String startedAt,
            double placingEndedS,
            double wallSeconds,
            String machine,
            Map<String, Object> options) {}

    /** Detection latency (PBX's deciding signal → miss durably stored) of one class of calls. */
    record Latency(double p50, double p95, double p99, double max, int samples, List<Bucket> histogram) {}

    /** {@code upToMs} null: the last bucket, everything above the previous bound. */
    record Bucket(String label, Double upToMs, int count) {}

    /** One call whose outcome is not what the PBX gave it. {@code hitBy}: the fault windows its life overlapped. */
    record Problem(String kind, String callId, String expected, String got, List<String> hitBy) {}

    record Resources(
            long maxHeapMb, long endHeapMb, long heapLimitMb, double cpuCoresAvg, double cpuCoresMax, int cores) {}

    /** kind: ami-cut, node-restart, db-pause; detail: what happened inside the window (restart: close and start times). */
    record Fault(String kind, double fromS, double toS, String detail) {
        String label() {
            return kind + " " + String.format("%.1f-%.1f s", fromS, toS);
        }
    }

    /**
     * One second of the run. backlog: calls the PBX has finished whose outcome the node has not stored yet (see
     * {@link LoadTest}); amiUp: the simulator has a logged-in AMI session; nodeUp: false while a node restarts.
     */
    record Sample(
            double t,
            long placed,
            int onTheLine,
            long backlog,
            long heapMb,
            double cpuCores,
            boolean amiUp,
            boolean nodeUp) {}

    /**
     * The simulator's view of callbacks (Originates) and overflow (Redirects); null until wired, see
     * {@link LoadTest#pbxActivity}.
     */
    record PbxActivity(long originates, int maxConcurrentOriginated, Integer callbackLimit, long redirects) {}

    /** A miss as the node's observer saw it, with the call's start on the PBX (null if the PBX does not know it). */
    record Miss(String callId, Instant start, Instant missedAt, Instant storedAt) {}

    /** The raw facts of a run; {@link #build} turns them into the report. */
    record Facts(
            LoadTestOptions options,
            String profile,
            double rate,
            String database,
            Instant t0,
            Instant placingEnded,
            Instant end,
            Map<String, CallTemplate.Expected> truth,
            Map<String, ReadStore.Outcome> seen,
            Map<String, Instant> startedAt,
            Map<String, Instant> finishedAt,
            List<Miss> misses,
            List<Fault> faults,
            List<Sample> samples,
            Resources resources,
            PbxActivity pbx) {}

    static LoadReport build(Facts f) {
        int lost = 0, duplicated = 0, wrong = 0;
        var problems = new ArrayList<Problem>();
        var byReason = new TreeMap<String, Integer>();
        for (var e : new TreeMap<>(f.truth()).entrySet()) {
            var id = e.getKey();
            var expected = e.getValue();
            String want = expected.status() + (expected.reason() == null ? "" : " " + expected.reason());
            var got = f.seen().get(id);
            var hit = hitBy(f, f.startedAt().get(id), f.finishedAt().getOrDefault(id, f.end()));
            if (got == null || !got.ended()) {
                lost++;
                problems.add(new Problem(
                        "lost", id, want, got == null ? "nothing stored" : "not ended (" + got.status() + ")", hit));
                continue;
            }
            if (got.outcomeEvents() > 1) {
                duplicated++;
                problems.add(new Problem("duplicated", id, want, got.outcomeEvents() + " outcomes", hit));
            }
            if (!expected.status().equals(got.status()) || !Objects.equals(expected.reason(), got.missedReason())) {
                wrong++;
                problems.add(new Problem(
                        "wrong",
                        id,
                        want,
                        got.status() + (got.missedReason() == null ? "" : " " + got.missedReason()),
                        hit));
            }
            if (got.missedReason() != null) byReason.merge(got.missedReason(), 1, Integer::sum);
        }
        var clean = new ArrayList<Long>();
        var warm = new ArrayList<Long>();
        var warmFrom = f.t0().plusSeconds(f.options().warmup());
        var outages = new ArrayList<Long>();
        var restarts = new ArrayList<Long>();
        var pauses = new ArrayList<Long>();
        for (var m : f.misses()) {
            long nanos =
                    Math.max(0, Duration.between(m.missedAt(), m.storedAt()).toNanos());
            var hit = hitBy(f, m.start() == null ? m.missedAt() : m.start(), m.storedAt());
            // One class per call, the most disruptive fault first: a restart also cuts the link and stalls storage.
            if (hit.stream().anyMatch(h -> h.startsWith("node-restart"))) restarts.add(nanos);
            else if (hit.stream().anyMatch(h -> h.startsWith("ami-cut"))) outages.add(nanos);
            else if (hit.stream().anyMatch(h -> h.startsWith("db-pause"))) pauses.add(nanos);
            else {
                clean.add(nanos);
                if (f.options().warmup() > 0 && !m.missedAt().isBefore(warmFrom)) warm.add(nanos);
            }
        }
        var cores = Runtime.getRuntime().availableProcessors();
        var run = new Run(
                f.profile(),
                f.rate(),
                f.options().seconds(),
                f.database(),
                f.t0().toString(),
                seconds(f, f.placingEnded()),
                seconds(f, f.end()),
                cores + " cores, " + (Runtime.getRuntime().maxMemory() >> 20) + " MB max heap, Java "
                        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"),
                f.options().asMap());
        int listed = Math.min(MAX_PROBLEMS, problems.size());
        return new LoadReport(
                run,
                f.truth().size(),
                byReason,
                latency(clean),
                latency(warm),
                latency(outages),
                latency(restarts),
                latency(pauses),
                lost,
                duplicated,
                wrong,
                List.copyOf(problems.subList(0, listed)),
                problems.size() - listed,
                f.resources(),
                f.pbx(),
                count(f, "ami-cut"),
                count(f, "node-restart"),
                count(f, "db-pause"),
                List.copyOf(f.faults()),
                List.copyOf(f.samples()));
    }

    private static int count(Facts f, String kind) {
        return (int) f.faults().stream().filter(x -> x.kind().equals(kind)).count();
    }

    static double seconds(Facts f, Instant at) {
        return Math.round(Duration.between(f.t0(), at).toMillis() / 100.0) / 10.0;
    }

    /** The fault windows that the span [from, to] of a call overlaps (a window counts until FAULT_MARGIN after it). */
    private static List<String> hitBy(Facts f, Instant from, Instant to) {
        if (from == null) return List.of();
        double a = seconds(f, from), b = seconds(f, to);
        double margin = FAULT_MARGIN.toMillis() / 1000.0;
        return f.faults().stream()
                .filter(w -> a < w.toS() + margin && b > w.fromS())
                .map(Fault::label)
                .toList();
    }

    static Latency latency(List<Long> nanos) {
        var counts = new int[BUCKETS_MS.length + 1];
        for (long n : nanos) {
            double ms = n / 1e6;
            int i = 0;
            while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]) i++;
            counts[i]++;
        }
        var buckets = new ArrayList<Bucket>();
        for (int i = 0; i <= BUCKETS_MS.length; i++) {
            buckets.add(
                    i < BUCKETS_MS.length
                            ? new Bucket("≤" + ms(BUCKETS_MS[i]), BUCKETS_MS[i], counts[i])
                            : new Bucket(">" + ms(BUCKETS_MS[i - 1]), null, counts[i]));
        }
        var l = Latencies.of(nanos); // percentiles from an HdrHistogram (three significant digits), the maximum exact
        return new Latency(
                pct(l, 50), pct(l, 95), pct(l, 99), round(l.max() / 1e6), nanos.size(), List.copyOf(buckets));
    }

    private static String ms(double ms) {
        return ms >= 1000 ? (long) (ms / 1000) + " s" : (long) ms + " ms";
    }

    private static double pct(Latencies nanos, double p) {
        return round(nanos.percentile(p) / 1e6);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    /** The report as text: what a person reads at the end of the run. */
    String text() {
        var sb = new StringBuilder();
        sb.append(String.format(
                "calls %d (profile %s at %.1f calls/s for %d s, database %s)%n",
                calls, run.profile(), run.rate(), run.seconds(), run.database()));
        sb.append(String.format(
                "faults: %d AMI cuts, %d node restarts, %d database pauses%s%n", amiCuts, restarts, dbPauses, ""));
        for (var f : faults)
            sb.append("  ").append(f.label()).append(": ").append(f.detail()).append('\n');
        sb.append("missed by reason: ").append(missedByReason).append('\n');
        sb.append(latencyLine("detection (PBX hang-up -> miss durably stored), calls no fault touched", detectionMs));
        if (detectionAfterWarmupMs.samples() > 0) {
            sb.append(latencyLine(
                    "  of them, misses from second " + run.options().get("warmup") + " on (the JVM warmed up)",
                    detectionAfterWarmupMs));
        }
        sb.append(latencyLine(
                "calls on the line during an AMI outage (decided from the CDR after the reconnect)",
                detectionAcrossOutagesMs));
        sb.append(latencyLine(
                "calls on the line during a node restart (recovered by the new node)", detectionAcrossRestartsMs));
        sb.append(latencyLine("calls on the line during a database pause", detectionAcrossDbPausesMs));
        sb.append(String.format(
                "against %s: %d lost, %d duplicated, %d wrong%n", truthSource(), lost, duplicated, wrong));
        for (var p : problems) {
            sb.append(String.format(
                    "  %s %s: expected %s, got %s%s%n",
                    p.kind(),
                    p.callId(),
                    p.expected(),
                    p.got(),
                    p.hitBy().isEmpty() ? "" : " [" + String.join(", ", p.hitBy()) + "]"));
        }
        if (problemsNotListed > 0)
            sb.append("  … and ").append(problemsNotListed).append(" more\n");
        sb.append(
                pbx == null
                        ? "callbacks / overflow: not counted against a real PBX (the simulator counts Originates and Redirects on its side of the wire)\n"
                        : String.format(
                                "callbacks: %d Originates placed, max %d concurrent originated channels (limit %s); overflow: %d Redirects%n",
                                pbx.originates(),
                                pbx.maxConcurrentOriginated(),
                                pbx.callbackLimit() == null
                                        ? "none: callbacks are off"
                                        : pbx.callbackLimit()
                                                + (pbx.maxConcurrentOriginated() > pbx.callbackLimit()
                                                        ? " — OVER THE LIMIT"
                                                        : ""),
                                pbx.redirects()));
        sb.append(String.format(
                "node CPU %.2f cores on average (max %.2f), heap max %d MB, at end %d MB (limit %d MB); %s%n",
                resources.cpuCoresAvg(),
                resources.cpuCoresMax(),
                resources.maxHeapMb(),
                resources.endHeapMb(),
                resources.heapLimitMb(),
                run.machine()));
        return sb.toString();
    }

    private static String latencyLine(String what, Latency l) {
        if (l.samples() == 0) return what + ": none\n";
        return String.format(
                "%s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d misses)%n",
                what, l.p50(), l.p95(), l.p99(), l.max(), l.samples());
    }

    /** Where the expected outcomes came from: the simulator's script, or a real Asterisk's own call records. */
    String truthSource() {
        return run.profile().startsWith("real PBX")
                ? "the PBX's CDR records (ground truth)"
                : "the simulator's ground truth";
    }
}
