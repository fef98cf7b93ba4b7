package switchboard.tools.loadtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import switchboard.tools.sim.PbxSimulator;

/**
 * One {@link LoadReport.Sample} a second, run and drain. Never blocks on the node (only counters and the
 * simulator), so a stalled database or a restarting node shows in the series instead of stopping it.
 *
 * <p>Backlog: calls the PBX has finished whose outcome the node has not stored yet. The simulator writes a
 * call's CDR rows when it finishes it, so tailing the CDR file tells which calls are finished and, from the
 * ground truth, which of them must end missed or answered; the node's counters (summed over restarts) tell how
 * many misses and answers it stored. backlog = max(0, finished-missed − stored misses) + max(0, finished-answered −
 * stored answers). A miss decided before its call ends on the PBX (voicemail) or an answer counts as stored
 * before the call finishes, so while calls are live this is a lower bound; once nothing is on the line it is exact.
 */
final class LoadSampler {
    private final Instant t0;
    private final PbxSimulator pbx;
    private final String pbxId;
    private final LoadTest.Nodes nodes;
    private final Path cdr;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<LoadReport.Sample> samples = new ArrayList<>();
    private final Map<String, Instant> finishedAt = new HashMap<>();
    private long cdrOffset;
    private long finishedMissed, finishedAnswered;
    private long lastCpuNanos;
    private Instant lastAt;
    private final long cpu0;
    private long maxHeap, lastHeap;
    private double maxCpu;

    LoadSampler(Instant t0, PbxSimulator pbx, String pbxId, LoadTest.Nodes nodes, Path cdr) {
        this.t0 = t0;
        this.pbxId = pbxId;
        this.pbx = pbx;
        this.nodes = nodes;
        this.cdr = cdr;
        this.cpu0 = os.getProcessCpuTime();
        this.lastCpuNanos = cpu0;
        this.lastAt = t0;
    }

    /** For the timer: a failed sample must not cancel the ones after it. */
    void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // this second has no sample; the next one will
        }
    }

    synchronized void sample() {
        Instant now = Instant.now();
        readCdr(now);
        long cpuNanos = os.getProcessCpuTime();
        double wall = Math.max(1, Duration.between(lastAt, now).toNanos());
        double cores = (cpuNanos - lastCpuNanos) / wall;
        lastCpuNanos = cpuNanos;
        lastAt = now;
        var rt = Runtime.getRuntime();
        lastHeap = rt.totalMemory() - rt.freeMemory();
        maxHeap = Math.max(maxHeap, lastHeap);
        maxCpu = Math.max(maxCpu, cores);
        long backlog = Math.max(0, finishedMissed - nodes.missed()) + Math.max(0, finishedAnswered - nodes.answered());
        double t = Math.round(Duration.between(t0, now).toMillis() / 100.0) / 10.0;
        samples.add(new LoadReport.Sample(
                t,
                pbx.placed(),
                pbx.callersOnTheLine(),
                backlog,
                lastHeap >> 20,
                Math.round(cores * 100) / 100.0,
                pbx.server().loggedIn() > 0,
                nodes.up()));
    }

    /** Reads the CDR rows written since the last sample; each new call id is a call the PBX finished. */
    private void readCdr(Instant now) {
        if (!Files.exists(cdr)) return;
        try (var f = new RandomAccessFile(cdr.toFile(), "r")) {
            long len = f.length();
            if (len <= cdrOffset) return;
            var buf = new byte[(int) Math.min(len - cdrOffset, 64 << 20)];
            f.seek(cdrOffset);
            f.readFully(buf);
            int lastNewline = -1;
            for (int i = buf.length - 1; i >= 0; i--)
                if (buf[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            if (lastNewline < 0) return; // a row still being written
            cdrOffset += lastNewline + 1;
            var truth = pbx.groundTruth();
            for (String line : new String(buf, 0, lastNewline, StandardCharsets.UTF_8).split("\n")) {
                String[] f2 = line.split("\",\"", 3);
                if (f2.length < 2) continue;
                String id = pbxId + ":" + f2[1];
                if (finishedAt.putIfAbsent(id, now) != null) continue;
                var expected = truth.get(id);
                if (expected == null) continue;
                if (expected.status().equalsIgnoreCase("missed")) finishedMissed++;
                else if (expected.status().equalsIgnoreCase("answered")) finishedAnswered++;
            }
        } catch (IOException e) {
            // the file is being rotated or written: the next sample reads it
        }
    }

    synchronized List<LoadReport.Sample> samples() {
        return List.copyOf(samples);
    }

    /** When the sampler first saw each call's CDR rows (within a second of the PBX finishing it). */
    synchronized Map<String, Instant> finishedAt() {
        return Map.copyOf(finishedAt);
    }

    synchronized LoadReport.Resources resources() {
        double wall = Math.max(1, Duration.between(t0, lastAt).toNanos());
        return new LoadReport.Resources(
                maxHeap >> 20,
                lastHeap >> 20,
                Runtime.getRuntime().maxMemory() >> 20,
                Math.round((lastCpuNanos - cpu0) / wall * 100) / 100.0,
                Math.round(maxCpu * 100) / 100.0,
                Runtime.getRuntime().availableProcessors());
    }
}
