package switchboard.call;

/** Where a call stands. ANSWERED and MISSED are outcomes: once reached they never change. */
public enum CallStatus {
  /** No CallStarted seen yet (entity exists only in memory). */
  NEW,
  /** In the IVR, ringing a phone, or between destinations. */
  RINGING,
  QUEUED,
  ANSWERED,
  MISSED;

  public boolean decided() {
    return this == ANSWERED || this == MISSED;
  }
}
