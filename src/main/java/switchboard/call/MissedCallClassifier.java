package switchboard.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import switchboard.common.DecisionLogic;

/**
 * Decides why an unanswered call was missed. Pure: the entity hands it the facts it has stored.
 *
 * <p>A call is decided missed at the first moment nobody can answer it any more: the caller hangs up, or the
 * call reaches voicemail. Leaving a queue is not that moment (the dialplan may still ring an on-call phone), and
 * neither is an agent letting it ring out while the caller keeps waiting.
 *
 * <p>Precedence: after-hours routing explains everything after it; then the last thing that failed the caller
 * (queue exit, a dialled phone that rang out / was busy / unreachable); then where the caller was when they gave
 * up (queue or ringing phone → abandon, short or not; nowhere yet → IVR hang-up). Voicemail without any of that
 * is VOICEMAIL; with it, voicemail is an annotation on the miss, not its reason.
 */
@DecisionLogic
public final class MissedCallClassifier {
    private static final Set<String> NO_AGENT_EXITS =
            Set.of("FULL", "JOINEMPTY", "LEAVEEMPTY", "JOINUNAVAIL", "LEAVEUNAVAIL");

    private final Duration shortAbandonThreshold;

    public MissedCallClassifier(Duration shortAbandonThreshold) {
        this.shortAbandonThreshold = shortAbandonThreshold;
    }

    /**
     * What the decision may look at. {@code dialing}: a phone the caller's own Dial() rang is still ringing;
     * {@code lastDialStatus}: how the last such dial failed (NOANSWER, BUSY, …), if it did.
     */
    public record Facts(
            Instant startedAt,
            boolean afterHours,
            boolean inQueue,
            boolean dialing,
            String queueExitStatus,
            String lastDialStatus) {}

    public enum Ending {
        /** The caller hung up (or the channel went away) while unanswered. */
        HANGUP,
        /** The call entered voicemail. */
        VOICEMAIL
    }

    public MissedReason classify(Facts f, Ending ending, Instant at) {
        if (f.afterHours()) return MissedReason.AFTER_HOURS;
        if (ending == Ending.HANGUP && (f.inQueue() || f.dialing())) {
            // Gave up while waiting for a human.
            return isShort(f.startedAt(), at) ? MissedReason.SHORT_ABANDON : MissedReason.ABANDONED;
        }
        if (f.queueExitStatus() != null) {
            return NO_AGENT_EXITS.contains(f.queueExitStatus()) ? MissedReason.NO_AGENT : MissedReason.QUEUE_TIMEOUT;
        }
        if (f.lastDialStatus() != null) {
            switch (f.lastDialStatus()) {
                case "NOANSWER":
                    return MissedReason.RING_NO_ANSWER;
                case "BUSY":
                    return MissedReason.BUSY;
                case "CHANUNAVAIL":
                case "CONGESTION":
                    return MissedReason.UNAVAILABLE;
                default:
                    break; // CANCEL and the like: the caller gave up while it rang
            }
            if (ending == Ending.HANGUP)
                return isShort(f.startedAt(), at) ? MissedReason.SHORT_ABANDON : MissedReason.ABANDONED;
        }
        return ending == Ending.VOICEMAIL ? MissedReason.VOICEMAIL : MissedReason.IVR_HANGUP;
    }

    private boolean isShort(Instant startedAt, Instant at) {
        return startedAt != null
                && at != null
                && Duration.between(startedAt, at).compareTo(shortAbandonThreshold) < 0;
    }
}
