package switchboard.lead;

/** Where a lead's recovery stands: open, or one of its final outcomes. */
public enum RecoveryStatus {
    /** Missed and not yet reached. */
    OPEN,
    /** The caller called again and an agent answered: nothing left to recover. */
    GOT_THROUGH,
    /** A callback reached the customer and connected them to a CSR. */
    RECOVERED,
    /** Every allowed attempt was made without reaching them (or no allowed time was left to call). */
    UNREACHABLE,
    /** The number is on the do-not-call list: never dialled. */
    DO_NOT_CALL,
    /** Cancelled by a person (API) before it was reached. */
    CANCELLED,
    /** The caller booked a job (the interview, a web form, a CSR): the goal. */
    BOOKED,
    /** Outside the service area, or a service the contractor does not offer: told so kindly, nothing to recover. */
    NOT_SERVICEABLE;

    public boolean isOpen() {
        return this == OPEN;
    }
}
