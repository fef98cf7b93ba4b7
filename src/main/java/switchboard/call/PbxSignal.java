package switchboard.call;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import switchboard.common.CborSerializable;

/**
 * What the PBX adapter tells the core about one inbound call, already normalised away from AMI. Every signal
 * names its call by PBX and Linkedid, and carries the PBX's own time of the event.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PbxSignal.CallStarted.class, name = "CallStarted"),
    @JsonSubTypes.Type(value = PbxSignal.QueueJoined.class, name = "QueueJoined"),
    @JsonSubTypes.Type(value = PbxSignal.AgentRinging.class, name = "AgentRinging"),
    @JsonSubTypes.Type(value = PbxSignal.AgentNoAnswer.class, name = "AgentNoAnswer"),
    @JsonSubTypes.Type(value = PbxSignal.AgentConnected.class, name = "AgentConnected"),
    @JsonSubTypes.Type(value = PbxSignal.QueueLeft.class, name = "QueueLeft"),
    @JsonSubTypes.Type(value = PbxSignal.DialEnded.class, name = "DialEnded"),
    @JsonSubTypes.Type(value = PbxSignal.VoicemailEntered.class, name = "VoicemailEntered"),
    @JsonSubTypes.Type(value = PbxSignal.AfterHours.class, name = "AfterHours"),
    @JsonSubTypes.Type(value = PbxSignal.HangupRequested.class, name = "HangupRequested"),
    @JsonSubTypes.Type(value = PbxSignal.Hangup.class, name = "Hangup"),
    @JsonSubTypes.Type(value = PbxSignal.Rerouted.class, name = "Rerouted"),
    @JsonSubTypes.Type(value = PbxSignal.CallbackChosen.class, name = "CallbackChosen")
})
public sealed interface PbxSignal extends CborSerializable {
    String pbx();

    String linkedId();

    Instant at();

    default String callId() {
        return CallEntity.callId(pbx(), linkedId());
    }

    /** A new inbound call. {@code sourceHint} is the dialplan's lead-source channel variable, if it set one. */
    record CallStarted(
            String pbx,
            String linkedId,
            Instant at,
            String callerIdNum,
            String callerIdName,
            String did,
            String sourceHint)
            implements PbxSignal {}

    record QueueJoined(String pbx, String linkedId, Instant at, String queue, int position) implements PbxSignal {}

    /** An agent's or extension's phone started ringing for this caller ({@code queue} null for a direct dial). */
    record AgentRinging(String pbx, String linkedId, Instant at, String queue, String agent) implements PbxSignal {}

    /** An agent let it ring out. Not a miss while the caller still waits. */
    record AgentNoAnswer(String pbx, String linkedId, Instant at, String queue, String agent, long ringMillis)
            implements PbxSignal {}

    record AgentConnected(String pbx, String linkedId, Instant at, String queue, String agent) implements PbxSignal {}

    /** The caller left a queue unanswered; {@code queueStatus} is QUEUESTATUS (TIMEOUT, LEAVEEMPTY, …) or null. */
    record QueueLeft(String pbx, String linkedId, Instant at, String queue, String queueStatus) implements PbxSignal {}

    /** The caller's own Dial() ended ({@code dialStatus}: ANSWER, NOANSWER, BUSY, CHANUNAVAIL, CONGESTION, CANCEL). */
    record DialEnded(String pbx, String linkedId, Instant at, String destination, String dialStatus)
            implements PbxSignal {}

    record VoicemailEntered(String pbx, String linkedId, Instant at, String mailbox) implements PbxSignal {}

    /** The dialplan routed the call to its after-hours destination. */
    record AfterHours(String pbx, String linkedId, Instant at) implements PbxSignal {}

    /** The caller's channel asked to hang up: the earliest sign that the caller has given up. */
    record HangupRequested(String pbx, String linkedId, Instant at, int cause) implements PbxSignal {}

    /** The caller's channel is gone. */
    record Hangup(String pbx, String linkedId, Instant at, int cause) implements PbxSignal {}

    /**
     * We moved the waiting caller out of {@code fromQueue} to {@code to} (overflow: {@code queue:NAME},
     * {@code number:DIAL} or {@code offer-callback}) because of {@code reason}, after they waited {@code waitedSeconds}.
     */
    record Rerouted(
            String pbx, String linkedId, Instant at, String fromQueue, String to, String reason, long waitedSeconds)
            implements PbxSignal {}

    /**
     * The waiting caller chose to be called back instead of waiting on (pressed 1 at an overflow offer): if nobody
     * answers them before they hang up, the call is missed with {@code CALLBACK_REQUESTED}.
     */
    record CallbackChosen(String pbx, String linkedId, Instant at) implements PbxSignal {}
}
