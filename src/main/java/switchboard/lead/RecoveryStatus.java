package switchboard.lead;

/** Where a lead's recovery stands. More final outcomes (RECOVERED, UNREACHABLE, …) come with callbacks. */
public enum RecoveryStatus {
  /** Missed and not yet reached. */
  OPEN,
  /** The caller called again and an agent answered: nothing left to recover. */
  GOT_THROUGH
}
