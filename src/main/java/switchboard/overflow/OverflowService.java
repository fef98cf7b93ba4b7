package switchboard.overflow;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

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
