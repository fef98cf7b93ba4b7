package switchboard.overflow;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live queues and the overflow policies of the first PBX, for the API and the overflow actor. The policies
 * start from the configuration; the API replaces them at run time (until the next restart: put lasting changes
 * in the configuration file). {@code pbx} null: no AMI link configured, so no queues.
 */
public final class OverflowService implements OverflowControl {
  private final OverflowPbx pbx;
  private final boolean enabled;
  private final Map<String, OverflowPolicy> policies = new ConcurrentHashMap<>();

  public OverflowService(OverflowPbx pbx, boolean enabled, List<OverflowPolicy> configured) {
    this.pbx = pbx;
    this.enabled = enabled;
    for (var p : configured) policies.put(p.queue(), p);
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
    policies.put(policy.queue(), policy);
    return CompletableFuture.completedFuture(policy);
  }

  @Override
  public CompletionStage<Boolean> removePolicy(String queue) {
    return CompletableFuture.completedFuture(policies.remove(queue) != null);
  }
}
