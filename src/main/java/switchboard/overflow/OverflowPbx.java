package switchboard.overflow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What overflow needs from a PBX, implemented by the AMI adapter ({@code pbx}): the live queues, and moving one
 * waiting caller (set channel variables and the caller name, then send them to a destination). Non-blocking.
 */
public interface OverflowPbx {
    /** Every queue the PBX reported, with its waiting callers (longest first) and members. */
    List<QueueView> queues();

    /**
     * Moves the caller {@code uniqueId} (channel {@code channel}) out of {@code fromQueue}: sets {@code variables} on the caller's channel (the receiving CSR's context; names starting with "__" are
     * inherited by the agent leg), then moves the channel to {@code to}. Completes with null on success, or the
     * PBX's error.
     */
    CompletionStage<String> move(
            String uniqueId,
            String fromQueue,
            String channel,
            String did,
            Map<String, String> variables,
            OverflowPolicy.Destination to);

    /** Whether the link to the PBX is up (a down link moves nobody). */
    boolean connected();

    /** Where the caller's answers to a callback offer go; set once. */
    void offers(Consumer<OfferAnswer> sink);

    /** A caller in the offer step pressed 1 (accepted: keep my place, call me back) or not. */
    record OfferAnswer(String linkedId, String callerIdNum, boolean accepted) {}
}
