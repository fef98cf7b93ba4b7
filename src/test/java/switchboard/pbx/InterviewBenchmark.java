package switchboard.pbx;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import switchboard.Node;
import switchboard.Settings;

/**
 * The interview under load: N missed callers (SIPp) are all called back at once by the governor, every customer
 * (one SIPp phone answering every call) goes through the interview over FastAGI — service, ZIP, confirm,
 * urgency, customer, a window — so N interviews run side by side against the real Asterisk, with the node on
 * PostgreSQL. Measured on the AGI side: the time from Asterisk's reply to one command to the node's next command,
 * i.e. how long a caller waits on Switchboard rather than on a prompt. Prints p50/p90/p99/max and the outcomes;
 * exits 1 if p99 is above 20 ms or an interview did not end.
 *
 * <p>Run: {@code src/test/lab/bench-interview.sh [CALLERS]} (needs root for the lab, PostgreSQL on 5432).
 */
public final class InterviewBenchmark {
    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        String db = "switchboard_bench_interview";
        Lab.start();
        var phones = new ArrayList<Process>();
        var steps = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(10), 3);
        var samples = new AtomicLong();
        int rc = 0;
        var conf = Files.createTempFile("interview-bench", ".conf");
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = 1s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 8s
          max-concurrent = %d
          max-attempts-per-second = %d
          release = customer-first
          overshoot = %d
          inbound-reserve-wait = 10m
          calling-window = "00:00-24:00"
          retry { busy = [10m], no-answer = [10m], failed = [10m], machine = [10m], backoff-factor = 1, jitter = 0, max-attempts = 3 }
          poll = 200ms
          qualify = true
        }
        switchboard.qualify { enabled = true, digit-timeout = 6s, service-area.everywhere = ["275", "276"] }
        """.formatted(callers, callers, callers));
        var env = BenchNodes.freshPostgresEnv(db, 5038, Lab.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", Lab.cdrFile().toString());
        try (var node = Node.start(Settings.load(conf, env))) {
            var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!node.readyNow() && System.nanoTime() < deadline) Thread.sleep(100);
            FastAgi.observeSteps(ns -> {
                steps.recordValue(Math.min(ns, steps.getHighestTrackableValue()));
                samples.incrementAndGet();
            });
            // Every callback is answered by this one phone, which then goes through the interview: service 1,
            // ZIP 27601, confirm, soon, new customer, window 1 (most find it taken by then and are offered the next).
            phones.add(Lab.sipp(
                    "customer-keys", "5070", "600", "w2500 1 w2000 27601 w2000 1 w2000 2 w2000 1 w9000 1 w9000 1"));
            Thread.sleep(500);
            System.out.printf(
                    "Interview benchmark: %d missed callers called back at once, each answered and interviewed over FastAGI; "
                            + "Asterisk 22.10 (lab chroot) + SIPp + node on PostgreSQL, %d cores, Java %s%n",
                    callers, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            var caller = new ProcessBuilder(
                            "bash",
                            Lab.DIR.resolve("sipp.sh").toString(),
                            "caller",
                            "+18005550105",
                            "+19195560000",
                            "3000",
                            Integer.toString(callers),
                            Integer.toString(callers))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            phones.add(caller);
            caller.waitFor(180, TimeUnit.SECONDS);
            // Wait for every interview to end (counted by the node), at most 4 minutes.
            var end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            double ended = 0;
            while (System.nanoTime() < end) {
                ended = ended(node.metrics().render());
                if (ended >= callers) break;
                Thread.sleep(500);
            }
            FastAgi.observeSteps(null);
            var m = node.metrics().render();
            System.out.printf("interviews ended: %.0f of %d (%s)%n", ended, callers, outcomes(m));
            System.out.printf(
                    "AGI response, %d steps: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    samples.get(),
                    steps.getValueAtPercentile(50) / 1e6,
                    steps.getValueAtPercentile(90) / 1e6,
                    steps.getValueAtPercentile(99) / 1e6,
                    steps.getMaxValue() / 1e6);
            if (ended < callers) {
                System.out.println("FAIL: not every interview ended");
                rc = 1;
            }
            if (steps.getValueAtPercentile(99) > Duration.ofMillis(20).toNanos()) {
                System.out.println("FAIL: p99 above 20 ms");
                rc = 1;
            }
        } finally {
            for (var p : phones) Lab.stop(p);
            Lab.stop();
        }
        System.exit(rc);
    }

    private static double ended(String metrics) {
        double sum = 0;
        for (var line : metrics.split("\n"))
            if (line.startsWith("switchboard_qualify_interviews_total{"))
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return sum;
    }

    private static String outcomes(String metrics) {
        var out = new ArrayList<String>();
        for (var line : metrics.split("\n"))
            if (line.startsWith("switchboard_qualify_interviews_total{") && !line.endsWith(" 0.0"))
                out.add(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')) + " "
                        + (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        return String.join(", ", out);
    }

    private InterviewBenchmark() {}
}
