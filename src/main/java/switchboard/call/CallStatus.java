package switchboard.call;

/** Where a call stands. ANSWERED and MISSED are outcomes: once reached they never change. */
public enum CallStatus {
    /** No CallStarted seen yet (entity exists only in memory). */
    NEW,
    /** In the IVR, ringing a phone, or between destinations. */
    RINGING,
    QUEUED,
    /**
     * Moved by overflow to another queue, a number or the callback offer, and still on the line there: the outcome is
     * decided at the new destination (the hops are on the call).
     */
    REROUTED,
    ANSWERED,
    MISSED;

    public boolean decided() {
        return this == ANSWERED || this == MISSED;
    }
}
