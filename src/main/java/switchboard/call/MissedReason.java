package switchboard.call;

/** Why nobody spoke to the caller. See {@link MissedCallClassifier} for the rules. */
public enum MissedReason {
    /** Gave up waiting in a queue or while a phone rang. */
    ABANDONED,
    /** Gave up before {@code short-abandon-threshold}: likely a misdial. */
    SHORT_ABANDON,
    /** The queue's wait limit ran out. */
    QUEUE_TIMEOUT,
    /** The queue had no member able to take calls (JOINEMPTY, LEAVEEMPTY, FULL, …). */
    NO_AGENT,
    /** A dialled phone rang out. */
    RING_NO_ANSWER,
    BUSY,
    /** The dialled phone was unreachable (CHANUNAVAIL, CONGESTION). */
    UNAVAILABLE,
    /** Sent straight to voicemail without ringing anyone. */
    VOICEMAIL,
    AFTER_HOURS,
    /** Hung up in the IVR before reaching a queue or a phone. */
    IVR_HANGUP,
    /** Chose a callback instead of waiting on (pressed 1 at an overflow offer): a callback they asked for. */
    CALLBACK_REQUESTED
}
