package switchboard.pbx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.internal.SwitchboardManagerConnection;
import switchboard.Node;
import switchboard.Settings;
import switchboard.db.Databases;
import switchboard.tools.sim.AmiServer;

/**
 * AMI throughput: a transcript recorded from the real Asterisk (a queue abandon, 100 events) is replayed
 * N times with fresh Linkedids over the AMI wire protocol, (1) into a bare Asterisk-Java connection with a
 * listener that only counts — with the library's own reader and with Switchboard's — and (2) into a Switchboard node (adapter, translator, sharded call entities,
 * journal on PostgreSQL) until every call's miss is durably stored. Prints both rates and their ratio.
 *
 * <p>Run: {@code src/test/lab/bench-ami-throughput.sh [CALLS]} (PostgreSQL on 5432).
 */
public final class AmiThroughputBenchmark {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        String transcript = Files.readString(Path.of("src/main/resources/ami-transcripts/queue-abandon.ami"));
        var frames = TranscriptReplayTest.eventFrames(transcript);
        String linkedId = TranscriptReplayTest.inboundCalls(frames).get(0);
        String base = linkedId.substring(0, linkedId.indexOf('.') + 1); // uniqueids of every leg share this prefix
        String one = String.join("", frames);
        int eventsPerCall = frames.size();
        var copies = new ArrayList<String>(calls);
        for (int i = 0; i < calls; i++) copies.add(one.replace(base, (9_000_000_000L + i) + "."));
        long events = (long) calls * eventsPerCall;
        System.out.printf(
                "AMI throughput: %d calls x %d events (%s, %d bytes per call), %d cores, Java %s%n",
                calls,
                eventsPerCall,
                "queue-abandon.ami",
                one.length(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        IntFunction<ManagerConnection> library =
                port -> new ManagerConnectionFactory("127.0.0.1", port, "bench", "bench").createManagerConnection();
        IntFunction<ManagerConnection> ours =
                port -> new SwitchboardManagerConnection("127.0.0.1", port, "bench", "bench");
        bare(copies, events, library); // a first pass each warms the JIT, so neither reader pays for it in its figure
        bare(copies, events, ours);
        double stock = bare(copies, events, library);
        double fast = bare(copies, events, ours);
        double pipeline = pipeline(copies, calls, events);
        System.out.printf("bare listener, Asterisk-Java's own reader: %.0f events/s%n", stock);
        System.out.printf(
                "bare listener, Switchboard's reader (what the node uses): %.0f events/s (%.1fx)%n",
                fast, fast / stock);
        System.out.printf(
                "whole pipeline (to every miss durably stored): %.0f events/s = %.0f calls/s%n",
                pipeline, pipeline / eventsPerCall);
        System.out.printf(
                "ratio pipeline / bare listener with Asterisk-Java's reader: %.2f (goal >= 0.5); with Switchboard's: %.2f%n",
                pipeline / stock, pipeline / fast);
    }

    private static double bare(List<String> copies, long events, IntFunction<ManagerConnection> connect)
            throws Exception {
        try (var server = new AmiServer(0, "bench", "bench")) {
            var connection = connect.apply(server.port());
            AmiEvents.registerAll(connection);
            var seen = new LongAdder();
            var done = new CountDownLatch(1);
            var counted = new AtomicInteger();
            connection.addEventListener((ManagerEvent e) -> {
                seen.increment();
                if (counted.incrementAndGet() == events) done.countDown();
            });
            connection.login("system,call,agent,user,dialplan");
            counted.set(0); // FullyBooted and friends
            long t0 = System.nanoTime();
            for (String c : copies) server.send(c);
            if (!done.await(10, TimeUnit.MINUTES))
                throw new IllegalStateException("bare listener saw " + counted.get() + " of " + events);
            double rate = events / ((System.nanoTime() - t0) / 1e9);
            connection.logoff();
            return rate;
        }
    }

    private static double pipeline(List<String> copies, int calls, long events) throws Exception {
        String db = "switchboard_bench_ami_tp";
        try (var server = new AmiServer(0, "switchboard", "bench")) {
            var env = BenchNodes.freshPostgresEnv(db, server.port(), "bench");
            try (var node = Node.start(Settings.load(null, env))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!node.readyNow() && System.nanoTime() < deadline) Thread.sleep(100);
                // Warm-up (JIT, pools, shards) with other Linkedids, then planner statistics as a database in service
                // has.
                var warm = new CountDownLatch(300);
                node.callMetrics().observeMisses((id, at, when) -> warm.countDown());
                for (int i = 0; i < 300; i++) server.send(copies.get(i).replace("9000", "8000"));
                if (!warm.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("warm-up did not finish");
                Databases.analyzeJournal("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
                var stored = new CountDownLatch(calls);
                node.callMetrics().observeMisses((id, at, when) -> stored.countDown());
                long t0 = System.nanoTime();
                for (String c : copies) server.send(c);
                if (!stored.await(10, TimeUnit.MINUTES))
                    throw new IllegalStateException("pipeline stored " + (calls - stored.getCount()) + " of " + calls);
                return events / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
