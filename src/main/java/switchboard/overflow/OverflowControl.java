package switchboard.overflow;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** What the HTTP API may do with overflow: read the live queues and the policies, change a policy at run time. */
public interface OverflowControl {
    List<QueueView> queues();

    /** Whether overflow runs (switchboard.overflow.enabled); policies set while it does not are kept but unused. */
    boolean enabled();

    CompletionStage<List<OverflowPolicy>> policies();

    /** Replaces the policy of {@code policy.queue()}; takes effect on the next look at the queues. */
    CompletionStage<OverflowPolicy> setPolicy(OverflowPolicy policy);

    /** Removes the policy of a queue (its callers are no longer moved); false when it had none. */
    CompletionStage<Boolean> removePolicy(String queue);
}
