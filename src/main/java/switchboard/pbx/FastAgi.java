package switchboard.pbx;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.StaticMappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.ivr.CallerHungUp;
import switchboard.ivr.QualifyingCall;
import switchboard.metrics.Metrics;

/**
 * The node's FastAGI server (Asterisk-Java's {@link DefaultAgiServer}): the dialplan's
 * {@code AGI(agi://HOST:PORT/qualify)} runs the qualifying interview ({@link QualifyingCall}) on a thread of its
 * own — blocking AGI round trips never touch an actor or the AMI event thread. Anything that goes wrong leaves
 * {@code SB_QUALIFY_NEXT=csr}, so the dialplan hands the caller to a person.
 */
public final class FastAgi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FastAgi.class);
    public static final String SCRIPT = "qualify";

    private final DefaultAgiServer server;
    private final Thread thread;
    /** Each AGI response time in nanoseconds, for a benchmark that wants every sample (null: none). */
    private static volatile java.util.function.LongConsumer stepObserver;

    private FastAgi(DefaultAgiServer server, Thread thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Starts listening on {@code host:port}; returns once the port is bound (or throws). */
    public static FastAgi start(
            String host, int port, int maxCalls, String pbxId, QualifyingCall interview, Metrics metrics)
            throws IOException, InterruptedException {
        var response = metrics.histogram(
                "switchboard_qualify_agi_response_seconds",
                "FastAGI interview: from Asterisk's reply to one command to the node's next command",
                0.0005,
                0.001,
                0.002,
                0.005,
                0.01,
                0.02,
                0.05,
                0.1,
                0.25,
                1);
        var outcomes = new java.util.EnumMap<QualifyingCall.Next, Metrics.Counter>(QualifyingCall.Next.class);
        for (var n : QualifyingCall.Next.values())
            outcomes.put(
                    n,
                    metrics.counter(
                            "switchboard_qualify_interviews_total",
                            "Interviews over FastAGI by how they ended",
                            "next",
                            n.name().toLowerCase()));
        var failed = metrics.counter(
                "switchboard_qualify_interview_failures_total",
                "Interviews that failed inside the node (the caller was sent to a CSR)");
        AgiScript script = (request, channel) -> serve(request, channel, pbxId, interview, response, outcomes, failed);
        var bound = new CountDownLatch(1);
        var error = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var server = new DefaultAgiServer(new StaticMappingStrategy(script)) {
            @Override
            protected ServerSocketFacade createServerSocket() throws IOException {
                try {
                    return super.createServerSocket();
                } catch (IOException | RuntimeException e) {
                    error.set(e);
                    throw e;
                } finally {
                    bound.countDown();
                }
            }
        };
        server.setAddress(InetAddress.getByName(host));
        server.setPort(port);
        server.setPoolSize(Math.min(10, maxCalls));
        server.setMaximumPoolSize(maxCalls);
        var thread = new Thread(
                () -> {
                    try {
                        server.startup();
                    } catch (Throwable e) {
                        error.set(e);
                        bound.countDown();
                    }
                },
                "fastagi-" + port);
        thread.setDaemon(true);
        thread.start();
        if (!bound.await(10, TimeUnit.SECONDS)) throw new IOException("FastAGI: port " + port + " not bound in 10 s");
        // The port could not be bound: say so rather than run without the interview.
        if (error.get() != null)
            throw new IOException(
                    "FastAGI on " + host + ":" + port + ": " + error.get().getMessage(), error.get());
        log.info("FastAGI interview on agi://{}:{}/{} (up to {} at once)", host, port, SCRIPT, maxCalls);
        return new FastAgi(server, thread);
    }

    private static void serve(
            AgiRequest request,
            AgiChannel channel,
            String pbxId,
            QualifyingCall interview,
            Metrics.Histogram response,
            Map<QualifyingCall.Next, Metrics.Counter> outcomes,
            Metrics.Counter failed) {
        var line = new AgiCallerLine(
                channel,
                nanos -> {
                    response.observeSeconds(nanos / 1e9);
                    var o = stepObserver;
                    if (o != null) o.accept(nanos);
                },
                System.nanoTime());
        try {
            if (!SCRIPT.equals(request.getScript())) {
                log.warn(
                        "FastAGI: unknown script '{}' (the dialplan should ask for agi://…/{})",
                        request.getScript(),
                        SCRIPT);
                line.set("SB_QUALIFY_NEXT", "csr");
                failed.increment();
                return;
            }
            String leadId = line.get("SB_LEAD_ID");
            String entry = line.get("SB_QUALIFY_ENTRY");
            if ((entry == null || entry.isBlank()) && notBlank(line.get("SB_CALLBACK_ID"))) entry = "callback";
            // The call's id as Switchboard names calls (pbx:linkedid), so the lead can tell this call's end apart.
            String linked = blankToNull(line.get("CHANNEL(linkedid)"));
            var call = new QualifyingCall.Call(
                    blankToNull(leadId),
                    QualifyingCall.Entry.of(entry),
                    blankToNull(request.getCallerIdNumber()),
                    linked == null ? null : pbxId + ":" + linked,
                    switchboard.lead.LeadSource.parse(line.get("SB_SOURCE")).orElse(null));
            var result = interview.run(call, line);
            outcomes.get(result.next()).increment();
        } catch (CallerHungUp gone) {
            outcomes.get(QualifyingCall.Next.HUNG_UP).increment();
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("FastAGI interview failed; the caller goes to a CSR: {}", e.toString(), e);
            try {
                line.set("SB_QUALIFY_NEXT", "csr");
            } catch (CallerHungUp gone) {
                // nothing left to route
            }
        }
    }

    /** Hands every AGI response time (ns) to {@code observer} as well as to the histogram; null stops. */
    public static void observeSteps(java.util.function.LongConsumer observer) {
        stepObserver = observer;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return notBlank(s) ? s.trim() : null;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException e) {
            // never started or already stopped
        }
        thread.interrupt();
    }
}
