package switchboard.tools.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import switchboard.Node;
import switchboard.call.PbxSignal;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;

/**
 * Brings benchmark leads to life with real persisted history. Lead {@code i} is caller {@code +1919…} with one
 * missed call (an open recovery); one lead in five missed a second call that joined the recovery.
 *
 * <p>Two paths: {@link #outcomes} sends each lead the {@code RecordMiss} command the call-outcomes projection sends
 * (same command, same events, same state; no call entities), {@link #calls} drives whole calls through the call
 * entities so the projection delivers the outcomes (the full pipeline, about 5x slower to feed).
 */
final class LeadFeed {
    static final Duration ASK = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2026-07-15T12:00:00Z");
    private static final String[] REASONS = {
        "ABANDONED", "QUEUE_TIMEOUT", "SHORT_ABANDON", "VOICEMAIL", "RING_NO_ANSWER"
    };
    private static final LeadSource[] SOURCES = {LeadSource.LSA, LeadSource.PPC, LeadSource.GBP, LeadSource.SEO};

    private final Node node;
    private final String tenant;
    private final String region;
    private final String pbx;
    private final String runId;

    LeadFeed(Node node, String tenant, String region, String pbx, String runId) {
        this.node = node;
        this.tenant = tenant;
        this.region = region;
        this.pbx = pbx;
        this.runId = runId;
    }

    static String caller(int i) {
        return String.format("+1919%03d%04d", 200 + (i / 10000) % 800, i % 10000);
    }

    String leadId(int i) {
        return tenant + ":" + caller(i);
    }

    /** Misses lead {@code i} has once fed: one, or two for one lead in five. */
    static int misses(int i) {
        return i % 5 == 4 ? 2 : 1;
    }

    /** Lead {@code i}'s misses as RecordMiss commands, one after the other. */
    CompletionStage<?> outcomes(int i) {
        var ref = ClusterSharding.get(node.system()).entityRefFor(LeadEntity.ENTITY_KEY, leadId(i));
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < misses(i); k++) {
            String callId = pbx + ":" + runId + "." + i + "." + k;
            var identity = CallerIdentification.identify(tenant, caller(i), region, callId);
            String reason = REASONS[(i + k) % REASONS.length];
            Instant missedAt = T0.plusSeconds(i * 3L + k * 3600L);
            var source = SOURCES[i % SOURCES.length];
            chain = chain.thenCompose(x -> ref.<LeadEntity.Ack>ask(
                    reply -> new LeadEntity.RecordMiss(
                            callId, identity, source, reason, missedAt, reason.equals("VOICEMAIL"), reply),
                    ASK));
        }
        return chain;
    }

    /** Lead {@code i}'s missed calls played through the call entities (start, queue, caller hangs up). */
    CompletionStage<?> calls(int i) {
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < misses(i); k++) {
            String linkedId = runId + "." + i + "." + k;
            Instant t = T0.plusSeconds(i * 3L + k * 3600L);
            var signals = List.<PbxSignal>of(
                    new PbxSignal.CallStarted(
                            pbx, linkedId, t, caller(i), null, "+18005550100", SOURCES[i % SOURCES.length].name()),
                    new PbxSignal.QueueJoined(pbx, linkedId, t.plusSeconds(1), "service", 1),
                    new PbxSignal.HangupRequested(pbx, linkedId, t.plusSeconds(40), 16),
                    new PbxSignal.Hangup(pbx, linkedId, t.plusSeconds(40), 16));
            for (var s : signals) chain = chain.thenCompose(x -> node.signals().ask(s, ASK));
        }
        return chain;
    }

    /** Asks lead {@code i} for its state. */
    CompletionStage<LeadEntity.State> get(int i) {
        return ClusterSharding.get(node.system())
                .entityRefFor(LeadEntity.ENTITY_KEY, leadId(i))
                .ask(LeadEntity.Get::new, ASK);
    }

    /** Lead {@code i} holds everything it was fed: known, recovery open, every miss counted. */
    static boolean complete(int i, LeadEntity.State s) {
        return s.known()
                && s.hasOpenRecovery()
                && s.missedCalls() == misses(i)
                && s.recovery().missCount() == misses(i);
    }

    /** Runs {@code task(0..n-1)} with at most {@code parallelism} in flight; returns how many failed. */
    static int forEach(int n, int parallelism, IntFunction<CompletionStage<?>> task) throws InterruptedException {
        var permits = new Semaphore(parallelism);
        var done = new CountDownLatch(n);
        var failed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            permits.acquire();
            CompletionStage<?> stage;
            try {
                stage = task.apply(i);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((v, err) -> {
                if (err != null) failed.incrementAndGet();
                permits.release();
                done.countDown();
            });
        }
        if (!done.await(30, TimeUnit.MINUTES)) return failed.get() + (int) done.getCount();
        return failed.get();
    }

    /** Polls every lead until it holds its fed history (the projection delivers call outcomes asynchronously). */
    int awaitComplete(int n, int parallelism, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        var pending = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) pending.add(i);
        while (!pending.isEmpty() && System.nanoTime() < end) {
            var still = java.util.Collections.synchronizedList(new ArrayList<Integer>());
            var snapshot = List.copyOf(pending);
            forEach(snapshot.size(), parallelism, j -> {
                int i = snapshot.get(j);
                return get(i).whenComplete((s, err) -> {
                    if (err != null || !complete(i, s)) still.add(i);
                });
            });
            pending = new ArrayList<>(still);
            if (!pending.isEmpty()) Thread.sleep(500); // the outcomes projection polls the journal; give it a round
        }
        return pending.size();
    }
}
