package switchboard.lead;

/** How one callback attempt ended, as the governor settled it from the Originate's response and hang-up. */
public enum CallbackOutcome {
    /** The customer answered and was connected to a CSR: the recovery is RECOVERED. */
    CONNECTED,
    /** The customer answered but hung up before a CSR took the call. */
    ANSWERED_NOT_CONNECTED,
    BUSY,
    NO_ANSWER,
    /** Congestion, no route, channel unavailable. */
    FAILED,
    /** Answering machine (when AMD is enabled). */
    MACHINE,
    /** In flight across a crash and found nowhere on the PBX: it did not ring (never dialled again blindly). */
    LOST_IN_FLIGHT
}
