package switchboard.ivr;

/** The caller hung up during the interview: whatever they answered is kept. */
public final class CallerHungUp extends RuntimeException {
    public CallerHungUp() {
        super("the caller hung up", null, false, false);
    }
}
