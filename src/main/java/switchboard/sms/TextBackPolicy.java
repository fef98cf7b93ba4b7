package switchboard.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import switchboard.callback.CallingWindow;
import switchboard.common.DecisionLogic;

/**
 * Whether, and when, a missed caller gets the first text of a recovery. Pure.
 *
 * <ul>
 *   <li>never after an opt-out (checked first: the law's rule outranks every other);
 *   <li>only to numbers that can take a text: libphonenumber's type must be mobile, fixed-line-or-mobile (most
 *       North American numbers: the plan does not tell them apart), VoIP or personal; a fixed line, toll-free,
 *       pager, premium-rate or unknown number is not texted;
 *   <li>one text per recovery, and only while the recovery is open;
 *   <li>not before {@code delay} after the miss, and only inside the callee's local window in every zone their
 *       number may be in — the calling window's own rules ({@link CallingWindow}, without business hours: a text
 *       needs no free CSR), so a miss at 22:30 callee-local is texted at the window's start.
 * </ul>
 */
@DecisionLogic
public final class TextBackPolicy {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    static final Set<PhoneNumberType> TEXTABLE = EnumSet.of(
            PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
            PhoneNumberType.VOIP,
            PhoneNumberType.PERSONAL_NUMBER);

    public enum SkipReason {
        OPTED_OUT,
        NO_NUMBER,
        NOT_TEXTABLE,
        ALREADY_TEXTED,
        RECOVERY_CLOSED,
        /** The window allows no time within its horizon (a misconfigured window, a closed week). */
        NO_ALLOWED_TIME
    }

    /**
     * What the policy looks at.
     *
     * @param e164 the caller's number, or null (withheld, invalid)
     * @param recoveryOpen whether the recovery to text about is still open
     * @param textedThisRecovery whether this recovery already has its first text (sent or being sent)
     * @param optedOut the lead's opt-out stands
     * @param missedAt when the call was missed (PBX time)
     * @param zoneOverride the lead's own zone, when a person set one
     */
    public record Facts(
            String e164,
            boolean recoveryOpen,
            boolean textedThisRecovery,
            boolean optedOut,
            Instant missedAt,
            Optional<ZoneId> zoneOverride) {}

    public sealed interface Decision {}

    /**
     * Send at {@code at} ({@code at} == now: at once); {@code deferred} when the window moved it.
     *
     * @param zones the callee zones the window was checked in (for the record: the proof of hours)
     */
    public record Send(Instant at, boolean deferred, List<ZoneId> zones) implements Decision {}

    public record Skip(SkipReason reason) implements Decision {}

    private final CallingWindow window;
    private final Duration delay;

    /**
     * @param window the callee-local window (e.g. 08:00–21:00, the same setting as callbacks)
     * @param contractorZone where the contractor is: the zone used when the number's zone is unknown
     * @param delay how long after the miss the text goes (a few seconds: the caller may be calling again)
     */
    public TextBackPolicy(CallingWindow.Range window, ZoneId contractorZone, Duration delay) {
        if (delay.isNegative()) throw new IllegalArgumentException("text-back delay must not be negative");
        this.window = new CallingWindow(window, CallingWindow.BusinessHours.always(contractorZone));
        this.delay = delay;
    }

    public Decision decide(Facts f, Instant now) {
        if (f.optedOut()) return new Skip(SkipReason.OPTED_OUT);
        if (f.e164() == null) return new Skip(SkipReason.NO_NUMBER);
        if (!textable(f.e164())) return new Skip(SkipReason.NOT_TEXTABLE);
        if (f.textedThisRecovery()) return new Skip(SkipReason.ALREADY_TEXTED);
        if (!f.recoveryOpen()) return new Skip(SkipReason.RECOVERY_CLOSED);
        Instant earliest = f.missedAt().plus(delay);
        if (earliest.isBefore(now)) earliest = now;
        var v = window.check(f.e164(), f.zoneOverride(), earliest);
        if (v.never()) return new Skip(SkipReason.NO_ALLOWED_TIME);
        return new Send(v.next(), !v.now(), v.zones());
    }

    /** Whether the number can take a text (by libphonenumber's type; an unparsable number cannot). */
    public static boolean textable(String e164) {
        try {
            return TEXTABLE.contains(UTIL.getNumberType(UTIL.parse(e164, "ZZ")));
        } catch (NumberParseException e) {
            return false;
        }
    }
}
