package switchboard.sms;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import switchboard.callback.CallingWindow;
import switchboard.common.DecisionLogic;
import switchboard.lead.RecoveryStatus;

/**
 * The nudges after the first text while the customer stays quiet: by default +15 minutes, the next morning at
 * 09:00 callee-local, +2 days — each measured from the first text. Pure: given what happened, it says which step is
 * next and when, or why there is none.
 *
 * <p>It stops when the customer replied, opted out, or the recovery is no longer open (they got through, a callback
 * reached them, a job was booked, a person closed it). Every step goes through the callee-local window (the calling
 * window's rules, as for the first text). A step the window pushes to within {@code minGap} of the next step's own
 * time is dropped in favour of that one: a +15 min nudge for a text sent at 20:50 would land at 08:00 next morning,
 * an hour before the 09:00 one, so only the 09:00 one goes.
 */
@DecisionLogic
public final class FollowUpCadence {

    public sealed interface Step {}

    /** {@code after} the first text. */
    public record After(Duration after) implements Step {
        public After {
            if (after.isNegative() || after.isZero())
                throw new IllegalArgumentException("a follow-up step is after the first text");
        }
    }

    /** The day after the first text (callee-local), at {@code at}; with several candidate zones the latest. */
    public record NextMorning(LocalTime at) implements Step {}

    public static List<Step> defaultSteps() {
        return List.of(
                new After(Duration.ofMinutes(15)), new NextMorning(LocalTime.of(9, 0)), new After(Duration.ofDays(2)));
    }

    /**
     * @param e164 the customer's number
     * @param zoneOverride the lead's own zone, when a person set one
     * @param firstTextAt when the recovery's first text went out
     * @param lastTextAt when the last text (first or follow-up) went out
     * @param stepsDone how many steps are behind: sent or dropped (0 after the first text)
     * @param replied the customer texted back since the first text
     * @param optedOut the lead's opt-out stands
     * @param recovery the recovery's status now
     */
    public record Facts(
            String e164,
            Optional<ZoneId> zoneOverride,
            Instant firstTextAt,
            Instant lastTextAt,
            int stepsDone,
            boolean replied,
            boolean optedOut,
            RecoveryStatus recovery) {}

    public sealed interface Next {}

    /** Send step {@code step} (0-based) at {@code at}; {@code stepsDone} becomes {@code step + 1} once sent. */
    public record Due(int step, Instant at) implements Next {}

    public record Stop(String why) implements Next {}

    private final List<Step> steps;
    private final CallingWindow window;
    private final ZoneId contractorZone;
    private final Duration minGap;

    public FollowUpCadence(List<Step> steps, CallingWindow.Range window, ZoneId contractorZone, Duration minGap) {
        this.steps = List.copyOf(steps);
        this.window = new CallingWindow(window, CallingWindow.BusinessHours.always(contractorZone));
        this.contractorZone = contractorZone;
        this.minGap = minGap;
    }

    public static FollowUpCadence defaults(CallingWindow.Range window, ZoneId contractorZone) {
        return new FollowUpCadence(defaultSteps(), window, contractorZone, Duration.ofHours(2));
    }

    public List<Step> steps() {
        return steps;
    }

    public Next next(Facts f) {
        if (f.optedOut()) return new Stop("opted out");
        if (f.replied()) return new Stop("replied");
        if (f.recovery() == null || !f.recovery().isOpen())
            return new Stop(
                    f.recovery() == null
                            ? "no recovery"
                            : "recovery " + f.recovery().name().toLowerCase());
        if (f.firstTextAt() == null) return new Stop("no first text");
        List<ZoneId> zones = zones(f);
        Instant last = f.lastTextAt() == null ? f.firstTextAt() : f.lastTextAt();
        for (int i = f.stepsDone(); i < steps.size(); i++) {
            Instant at = allowed(raw(steps.get(i), f.firstTextAt(), zones), last, zones);
            if (at == null) continue; // no allowed time for this step: the next one may have one
            if (i + 1 < steps.size()) {
                Instant nextRaw = raw(steps.get(i + 1), f.firstTextAt(), zones);
                if (!at.plus(minGap).isBefore(nextRaw)) continue; // pushed onto the next step: that one goes instead
            }
            return new Due(i, at);
        }
        return new Stop("cadence done");
    }

    private Instant allowed(Instant raw, Instant last, List<ZoneId> zones) {
        Instant t = raw.isAfter(last) ? raw : last.plusSeconds(60);
        var v = window.check(zones, t);
        return v.never() ? null : v.next();
    }

    static Instant raw(Step step, Instant firstText, List<ZoneId> zones) {
        if (step instanceof After a) return firstText.plus(a.after());
        var m = (NextMorning) step;
        Instant latest = null;
        for (ZoneId z : zones) {
            Instant t = firstText
                    .atZone(z)
                    .toLocalDate()
                    .plusDays(1)
                    .atTime(m.at())
                    .atZone(z)
                    .toInstant();
            if (latest == null || t.isAfter(latest)) latest = t;
        }
        return latest;
    }

    private List<ZoneId> zones(Facts f) {
        if (f.zoneOverride().isPresent()) return List.of(f.zoneOverride().get());
        var z = CallingWindow.zonesOf(f.e164());
        return z.isEmpty() ? List.of(contractorZone) : z;
    }
}
