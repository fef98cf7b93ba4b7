package switchboard.overflow;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import switchboard.call.CallSignals;
import switchboard.metrics.Metrics;

/**
 * The live queues and the overflow policies of the first PBX, for the API and the overflow actor. The policies
 * start from the configuration with the changes made through the API applied ({@link OverflowPolicyStore}); a
 * change is stored before it takes effect, so it survives a restart. {@code pbx} null: no AMI link configured,
 * so no queues.
 */
public final class OverflowService implements OverflowControl {
    /** Where API changes are kept (the policy store); a change takes effect once this completes. */
    public interface ChangeLog {
        CompletionStage<?> put(OverflowPolicy policy);

        CompletionStage<?> remove(String queue);
    }

    private final OverflowPbx pbx;
    private final boolean enabled;
    private final ChangeLog changes;
    private final Map<String, OverflowPolicy> policies = new ConcurrentHashMap<>();

    /** {@code effective}: the configured policies with the stored changes already applied. */
    public OverflowService(OverflowPbx pbx, boolean enabled, List<OverflowPolicy> effective, ChangeLog changes) {
        this.pbx = pbx;
        this.enabled = enabled;
        this.changes = changes;
        for (var p : effective) policies.put(p.queue(), p);
    }

    /**
     * Starts overflow for a PBX: its policies as configured with the API's stored changes applied, the live-queue
     * gauges, and — when {@code settings.enabled()} — the mover, as a cluster singleton. {@code pbx} null: the PBX has
     * no AMI link, so there are no queues and nothing moves; the policies can still be read and changed.
     */
    public static OverflowService start(
            ActorSystem<?> system,
            String pbxId,
            OverflowSettings settings,
            ZoneId contractorZone,
            OverflowPbx pbx,
            CallSignals signals,
            Metrics metrics)
            throws Exception {
        var effective = OverflowPolicyStore.stored(system, pbxId, settings.policies());
        var changes = OverflowPolicyStore.changeLog(system, pbxId);
        if (pbx == null) return new OverflowService(null, false, effective, changes);
        var service = new OverflowService(pbx, settings.enabled(), effective, changes);
        service.registerGauges(metrics);
        if (settings.enabled()) {
            OverflowActor.startSingleton(
                    system,
                    new OverflowActor.Setup(
                            pbxId,
                            settings,
                            contractorZone,
                            pbx,
                            signals,
                            Clock.systemUTC(),
                            metrics,
                            service.livePolicies()));
        }
        return service;
    }

    private void registerGauges(Metrics metrics) {
        metrics.gauges(
                "switchboard_queue_waiting",
                "Callers waiting in each queue now",
                "queue",
                () -> perQueue(v -> (double) v.waiting().size()));
        metrics.gauges(
                "switchboard_queue_longest_wait_seconds",
                "The longest wait in each queue now",
                "queue",
                () -> perQueue(v -> v.longestWait(Instant.now()).toMillis() / 1000.0));
        metrics.gauges(
                "switchboard_queue_members_free",
                "Members of each queue free to take a call now",
                "queue",
                () -> perQueue(v -> (double) v.free()));
        metrics.gauges(
                "switchboard_queue_service_level",
                "Share of each queue's callers answered within 20 s (answered + abandoned, since start)",
                "queue",
                () -> perQueue(v -> v.stats().serviceLevel() == null
                        ? Double.NaN
                        : v.stats().serviceLevel()));
    }

    private Map<String, Double> perQueue(Function<QueueView, Double> value) {
        var m = new HashMap<String, Double>();
        for (var v : queues()) m.put(v.queue(), value.apply(v));
        return m;
    }

    /** The map the overflow actor reads (shared, concurrent). */
    public Map<String, OverflowPolicy> livePolicies() {
        return policies;
    }

    public boolean enabled() {
        return enabled;
    }

    @Override
    public List<QueueView> queues() {
        return pbx == null ? List.of() : pbx.queues();
    }

    @Override
    public CompletionStage<List<OverflowPolicy>> policies() {
        return CompletableFuture.completedFuture(List.copyOf(new TreeMap<>(policies).values()));
    }

    @Override
    public CompletionStage<OverflowPolicy> setPolicy(OverflowPolicy policy) {
        return changes.put(policy).thenApply(stored -> {
            policies.put(policy.queue(), policy);
            return policy;
        });
    }

    @Override
    public CompletionStage<Boolean> removePolicy(String queue) {
        if (!policies.containsKey(queue)) return CompletableFuture.completedFuture(false);
        return changes.remove(queue).thenApply(stored -> policies.remove(queue) != null);
    }
}
