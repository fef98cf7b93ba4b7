package switchboard.callback;

import java.time.Duration;
import java.util.Map;

/**
 * What the governor needs from a PBX, implemented by the AMI adapter ({@code pbx}): place a callback, and see the
 * callback queue's free CSRs and how long inbound callers wait. Non-blocking: results come back as
 * {@link Event}s to the sink given at start.
 */
public interface CallbackPbx {
    /** Where this PBX's callback events go (the governor); set once, before the first Originate. */
    void events(java.util.function.Consumer<Event> sink);

    /** Sends one asynchronous Originate (ActionID = attemptId, ChannelId = channelId); never blocks. */
    void originate(Dial dial);

    /**
     * An attempt stored as in flight before a crash or restart: find out from the PBX what became of it (its channel
     * live now, or its CDR record) and report it as the usual events, or {@link Vanished} when the PBX has no trace.
     */
    void reconcile(String attemptId, String channelId);

    /** CSRs of {@code queue} that are free now (not in use, not ringing, not paused); -1 while unknown. */
    int freeMembers(String queue);

    /** The longest wait of an inbound caller in any queue right now (callbacks waiting for a CSR excluded). */
    Duration longestInboundWait();

    /** Whether the link to the PBX is up (a down link dials nothing). */
    boolean connected();

    /**
     * One callback to place. {@code number}: the customer's dial string; {@code agentFirst}: ring a CSR of the
     * callback queue first and dial the customer once they answered (otherwise the customer first).
     */
    record Dial(
            String attemptId,
            String channelId,
            String number,
            String callerId,
            Duration ringTimeout,
            Map<String, String> variables,
            boolean agentFirst) {}

    /** What happened to a callback channel, as the PBX reported it. */
    sealed interface Event {
        String attemptId();
    }

    /** The Originate was refused outright (an Error reply: bad channel, permission) — no call was placed. */
    record Refused(String attemptId, String error) implements Event {}

    /** The customer's phone did not answer: {@code outcome} is BUSY, NO_ANSWER or FAILED (from Reason and cause). */
    record NotAnswered(String attemptId, switchboard.lead.CallbackOutcome outcome, Integer reason, Integer cause)
            implements Event {}

    /** The customer answered; the call is in the callback context, on its way to a CSR. */
    record Answered(String attemptId) implements Event {}

    /** Answering-machine detection heard a machine; the PBX hangs up (a {@link HungUp} follows). */
    record Machine(String attemptId, String cause) implements Event {}

    /** A CSR took the call (agent first: the customer answered the CSR's call). */
    record Connected(String attemptId, String agent) implements Event {}

    /** Neither live nor in the CDR: the channel never existed (the Originate was not sent, or failed before a channel). */
    record Vanished(String attemptId) implements Event {}

    /** The callback channel hung up (after an answer; a channel that never answered ends with {@link NotAnswered}). */
    record HungUp(String attemptId, Integer cause) implements Event {}
}
