package switchboard.qualify;

import java.time.Instant;
import switchboard.common.DecisionLogic;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;

/**
 * The qualifying interview as a pure state machine: which question comes next, what a key press means, when to
 * give up and hand the caller to a person. The FastAGI script plays the prompts and reads the digits; this class
 * decides. Steps: service (the contractor's menu), ZIP (five digits, read back, 1 to confirm), urgency (1
 * emergency, 2 soon, 3 just a quote), customer (1 new, 2 existing, 3 member — skipped when the lead's history
 * already says). An emergency ends the interview at once: the caller is connected, not questioned. A step that
 * gets no or invalid input {@code maxFailures} times hands the caller to a CSR with what is known; a hang-up
 * keeps every answer given.
 */
@DecisionLogic
public record Interview(Step step, int failures, Qualification answers, String zipHeard) {

    public enum Step {
        SERVICE,
        ZIP,
        CONFIRM_ZIP,
        URGENCY,
        CUSTOMER,
        DONE
    }

    /** What the caller did at a step. */
    public sealed interface Input {}

    /** Digits read (possibly fewer than asked, e.g. a ZIP cut short by the timeout). */
    public record Pressed(String digits) implements Input {}

    /** Nothing pressed before the timeout. */
    public record NoInput() implements Input {}

    public record HungUp() implements Input {}

    /** What the script does next. */
    public sealed interface Action {}

    /** Play the step's prompt and read digits ({@code again}: say "sorry, I didn't get that" first). */
    public record Ask(Step step, boolean again) implements Action {}

    /** Say the ZIP back digit by digit, then ask for 1 to confirm or 2 to re-enter. */
    public record ReadBack(String zip) implements Action {}

    /** Every question answered (or an emergency): apply the booking rules. */
    public record Finished(Qualification answers) implements Action {}

    /** Too many failures at {@code at}: to a CSR, with what is known. */
    public record HandOff(Qualification answers, Step at) implements Action {}

    /** The caller hung up: keep what was given. */
    public record Abandoned(Qualification answers, Step at) implements Action {}

    public record Turn(Interview next, Action action) {}

    public static final int DEFAULT_MAX_FAILURES = 2;

    /**
     * Starts an interview; answers already known (the lead's history, a web form) are not asked again.
     *
     * @param known what is known already, channel IVR
     */
    public static Turn start(Qualification known) {
        var i = new Interview(Step.SERVICE, 0, known, null).advance();
        return i.step == Step.DONE ? new Turn(i, new Finished(i.answers)) : new Turn(i, new Ask(i.step, false));
    }

    public Turn next(Input in, ServiceMenu menu, ServiceArea area, int maxFailures, Instant at) {
        if (step == Step.DONE) throw new IllegalStateException("the interview is over");
        if (in instanceof HungUp) return new Turn(this, new Abandoned(answers, step));
        String digits =
                in instanceof Pressed p && p.digits() != null ? p.digits().trim() : "";
        Qualification a = null; // the new answers when the input was good
        boolean reenterZip = false;
        switch (step) {
            case SERVICE -> {
                var o = menu.byDigit(digits);
                if (o.isPresent()) a = answers.withService(o.get().service());
            }
            case ZIP -> {
                if (digits.matches("\\d{5}"))
                    return new Turn(new Interview(Step.CONFIRM_ZIP, failures, answers, digits), new ReadBack(digits));
            }
            case CONFIRM_ZIP -> {
                if (digits.equals("1")) a = answers.withZip(zipHeard, area.covers(answers.service(), zipHeard));
                else if (digits.equals("2")) reenterZip = true;
            }
            case URGENCY ->
                a = switch (digits) {
                    case "1" -> answers.withUrgency(Urgency.EMERGENCY);
                    case "2" -> answers.withUrgency(Urgency.SOON);
                    case "3" -> answers.withUrgency(Urgency.QUOTE);
                    default -> null;
                };
            case CUSTOMER ->
                a = switch (digits) {
                    case "1" -> answers.withCustomer(CustomerStatus.NEW);
                    case "2" -> answers.withCustomer(CustomerStatus.EXISTING);
                    case "3" -> answers.withCustomer(CustomerStatus.MEMBER);
                    default -> null;
                };
            default -> throw new IllegalStateException("no input expected at " + step);
        }
        if (a != null) {
            var next = new Interview(step, 0, stamped(a, at), null).advance();
            return next.step == Step.DONE
                    ? new Turn(next, new Finished(next.answers))
                    : new Turn(next, new Ask(next.step, false));
        }
        // No input, a key that means nothing here, or "2: let me re-enter the ZIP": the step is asked again.
        // A re-entered ZIP counts too, so nobody loops for ever.
        var failedAt = step == Step.CONFIRM_ZIP ? Step.ZIP : step;
        int failed = failures + 1;
        if (failed >= maxFailures)
            return new Turn(new Interview(failedAt, failed, answers, null), new HandOff(answers, failedAt));
        return new Turn(new Interview(failedAt, failed, answers, null), new Ask(failedAt, !reenterZip));
    }

    /** Moves past every step already answered; an emergency skips what is left. */
    private Interview advance() {
        if (answers.urgency() == Urgency.EMERGENCY) return new Interview(Step.DONE, 0, answers, null);
        var s = step;
        while (s != Step.DONE && answered(s)) s = following(s);
        return new Interview(s, s == step ? failures : 0, answers, zipHeard);
    }

    private boolean answered(Step s) {
        return switch (s) {
            case SERVICE -> answers.service() != null;
            case ZIP, CONFIRM_ZIP -> answers.zip() != null;
            case URGENCY -> answers.urgency() != null;
            case CUSTOMER -> answers.customer() != null;
            case DONE -> true;
        };
    }

    private static Step following(Step s) {
        return switch (s) {
            case SERVICE -> Step.ZIP;
            case ZIP, CONFIRM_ZIP -> Step.URGENCY;
            case URGENCY -> Step.CUSTOMER;
            case CUSTOMER, DONE -> Step.DONE;
        };
    }

    private static Qualification stamped(Qualification q, Instant at) {
        return new Qualification(q.service(), q.zip(), q.inServiceArea(), q.urgency(), q.customer(), q.channel(), at);
    }
}
