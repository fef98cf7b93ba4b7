package switchboard.call;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the PBX adapter hands signals in: routes each to its call's entity by {@code pbx:linkedid}. Never blocks.
 *
 * <p>{@link #deliver} is at least once and in order per call: a call's signals go to its entity one at a time,
 * each resent until the entity has acknowledged it (acknowledged = whatever it caused is durably stored). A
 * journal that stalls or fails (database paused, circuit breaker open) makes the entity fail its write and drop the
 * signal; the resend brings it again once the journal is back. The entity ignores repeats, so a signal that was
 * stored but whose acknowledgement was lost does no harm. One at a time per call keeps the order the PBX gave;
 * different calls go in parallel — at most {@code maxInFlight} signals at once, all calls together. A call with a
 * signal to send and no free slot waits its turn in arrival order; a spike larger than the journal can write then
 * queues here, in memory, instead of piling thousands of concurrent writes on the journal until they time out and
 * its circuit breaker opens (found by {@code loadtest} at 200 calls/s once the AMI reader stopped throttling input).
 */
public final class CallSignals {
    private static final Logger log = LoggerFactory.getLogger(CallSignals.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ActorRef<CallEntity.Ack> ignore;
    private final CallMetrics metrics;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    /** Free sending slots; a lane takes one for each attempt at its head and gives it back when the attempt ends. */
    private final AtomicInteger slots;
    /** Lanes whose head waits for a slot, oldest first. */
    private final ConcurrentLinkedQueue<Lane> waiting = new ConcurrentLinkedQueue<>();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlightSeen = new AtomicInteger();

    /** The signals of one call not yet acknowledged; the head is in flight. */
    private static final class Lane {
        final String callId;
        final ArrayDeque<PbxSignal> queue = new ArrayDeque<>(4);
        boolean sending;
        boolean closed;
        int attempts;

        Lane(String callId) {
            this.callId = callId;
        }
    }

    public CallSignals(ActorSystem<?> system, CallMetrics metrics, int maxInFlight) {
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
        this.slots = new AtomicInteger(maxInFlight);
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.ignore = system.ignoreRef();
        this.metrics = metrics;
        metrics.pendingSignals(pending::get);
    }

    /** At least once, in order per call, never blocking: see the class comment. */
    public void deliver(PbxSignal signal) {
        metrics.signal(signal);
        pending.incrementAndGet();
        while (true) {
            Lane lane = lanes.computeIfAbsent(signal.callId(), Lane::new);
            boolean start;
            synchronized (lane) {
                if (lane.closed) continue; // emptied and removed a moment ago: take the fresh one
                lane.queue.addLast(signal);
                start = !lane.sending;
                lane.sending = true;
            }
            if (start) whenSlotFree(lane);
            return;
        }
    }

    /** The lane's head goes out when a slot is free: now, or when an earlier attempt ends. */
    private void whenSlotFree(Lane lane) {
        waiting.add(lane);
        startWaiting();
    }

    private void startWaiting() {
        while (!waiting.isEmpty()) {
            int free = slots.get();
            if (free == 0) return; // the attempt that frees one starts the next
            if (!slots.compareAndSet(free, free - 1)) continue;
            var next = waiting.poll();
            if (next == null) { // another thread took it: give the slot back and look again
                slots.incrementAndGet();
                continue;
            }
            sendHead(next);
        }
    }

    private void releaseSlot() {
        slots.incrementAndGet();
        startWaiting();
    }

    private void sendHead(Lane lane) {
        PbxSignal head;
        synchronized (lane) {
            head = lane.queue.peekFirst();
        }
        maxInFlightSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        sharding.entityRefFor(CallEntity.ENTITY_KEY, lane.callId)
                .<CallEntity.Ack>ask(reply -> new CallEntity.Signal(head, reply), ATTEMPT_TIMEOUT)
                .whenCompleteAsync(
                        (ack, err) -> {
                            inFlight.decrementAndGet();
                            releaseSlot();
                            if (err != null) {
                                retry(lane, head, err);
                                return;
                            }
                            pending.decrementAndGet();
                            boolean more;
                            synchronized (lane) {
                                lane.queue.pollFirst();
                                lane.attempts = 0;
                                more = !lane.queue.isEmpty();
                                if (!more) {
                                    lane.sending = false;
                                    lane.closed = true;
                                    lanes.remove(lane.callId, lane);
                                }
                            }
                            if (more) whenSlotFree(lane); // behind the calls already waiting
                        },
                        system.executionContext()); // never the common pool: see Main
    }

    private void retry(Lane lane, PbxSignal head, Throwable err) {
        int attempt;
        synchronized (lane) {
            attempt = ++lane.attempts;
        }
        metrics.signalRetried();
        Duration backoff = Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(attempt, 6)));
        if (attempt == 1 || attempt % 10 == 0) {
            log.warn(
                    "Call {}: {} not yet stored after {} attempt(s) ({}); retrying in {} ms",
                    lane.callId,
                    head.getClass().getSimpleName(),
                    attempt,
                    err.toString(),
                    backoff.toMillis());
        }
        system.scheduler().scheduleOnce(backoff, () -> whenSlotFree(lane), system.executionContext());
    }

    /**
     * Completes when every signal handed in has been acknowledged, or after {@code max} (node shutdown: the PBX
     * links are closed first, then what they already handed in is stored before the entities go). Polls a counter on
     * the scheduler; never blocks.
     */
    public CompletionStage<Long> whenIdle(Duration max) {
        var done = new java.util.concurrent.CompletableFuture<Long>();
        long deadline = System.nanoTime() + max.toNanos();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            long left = pending.get();
            if (left == 0 || System.nanoTime() >= deadline) done.complete(left);
            else system.scheduler().scheduleOnce(Duration.ofMillis(20), check[0], system.executionContext());
        };
        check[0].run();
        return done;
    }

    /** The most signals that were ever being sent at once (never more than the limit). */
    public int maxInFlightSeen() {
        return maxInFlightSeen.get();
    }

    /** Signals handed in and not yet acknowledged by their call. */
    public long pending() {
        return pending.get();
    }

    /** Fire and forget, no retry (benchmarks that time the entity alone). */
    public void tell(PbxSignal signal) {
        metrics.signal(signal);
        sharding.entityRefFor(CallEntity.ENTITY_KEY, signal.callId()).tell(new CallEntity.Signal(signal, ignore));
    }

    /** Completes when whatever the signal caused is durably stored. */
    public CompletionStage<CallEntity.Ack> ask(PbxSignal signal, Duration timeout) {
        metrics.signal(signal);
        return sharding.entityRefFor(CallEntity.ENTITY_KEY, signal.callId())
                .ask(reply -> new CallEntity.Signal(signal, reply), timeout);
    }

    public CompletionStage<CallEntity.State> get(String callId, Duration timeout) {
        return sharding.entityRefFor(CallEntity.ENTITY_KEY, callId).ask(CallEntity.Get::new, timeout);
    }
}
