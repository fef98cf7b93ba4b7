package switchboard.ivr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.booking.BoardPlan;
import switchboard.booking.BookingDesk;
import switchboard.booking.Flow;
import switchboard.booking.Handover;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;
import switchboard.lead.Qualification;
import switchboard.qualify.Interview;
import switchboard.qualify.QualifyDesk;
import switchboard.qualify.QualifySettings;

/**
 * One caller's interview on the phone: plays the questions, feeds the keys to {@link Interview} (which decides),
 * stores the answers on the lead, applies the booking rules and, where they book, offers the first two free windows
 * and holds the one chosen. Then tells the dialplan what comes next ({@code SB_QUALIFY_NEXT}: booked, declined,
 * emergency, csr). Runs on the FastAGI server's thread for this call — never on an actor — so waiting for the
 * entities here blocks nobody else. A caller who hangs up keeps every answer given; anything unexpected sends the
 * caller to a person with what is known, never to silence.
 */
public final class QualifyingCall {
    private static final Logger log = LoggerFactory.getLogger(QualifyingCall.class);
    private static final Duration ASK = Duration.ofSeconds(6);
    /** How often a taken window is re-offered before a person takes over. */
    private static final int OFFER_ROUNDS = 2;

    /** Where the caller came from (the dialplan's SB_QUALIFY_ENTRY): decides the greeting. */
    public enum Entry {
        CALLBACK,
        OVERFLOW,
        AFTER_HOURS,
        OTHER;

        public static Entry of(String s) {
            if (s == null) return OTHER;
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "callback" -> CALLBACK;
                case "overflow" -> OVERFLOW;
                case "after-hours" -> AFTER_HOURS;
                default -> OTHER;
            };
        }
    }

    /**
     * One caller: their lead if the dialplan knows it (SB_LEAD_ID), how they came, the number they call from and the
     * call's id ({@code pbx:linkedid}) — with those a caller still on their first call gets a lead of their own.
     */
    public record Call(String leadId, Entry entry, String callerNumber, String callId, LeadSource source) {
        public Call(String leadId, Entry entry) {
            this(leadId, entry, null, null, null);
        }
    }

    public enum Next {
        BOOKED,
        DECLINED,
        EMERGENCY,
        CSR,
        HUNG_UP
    }

    /** How the interview ended: for the dialplan (via the line's variables), the logs and the tests. */
    public record Result(Next next, Flow flow, Qualification answers, Handover to, String whisper) {}

    private final QualifyDesk qualify;
    private final BookingDesk booking;
    private final QualifySettings settings;
    private final Clock clock;
    private final String tenant;
    private final String region;

    /** {@code tenant}, {@code region}: whose callers these are, and how their numbers are read (as for calls). */
    public QualifyingCall(QualifyDesk qualify, BookingDesk booking, Clock clock, String tenant, String region) {
        this.qualify = qualify;
        this.booking = booking;
        this.settings = qualify.settings();
        this.clock = clock;
        this.tenant = tenant;
        this.region = region;
    }

    public Result run(Call asked, CallerLine line) {
        var at = clock.instant();
        var prompts = settings.prompts();
        // A caller on their first call (overflow, after hours) is not a lead yet: one is made from their number.
        var call = asked;
        var identity = call.callerNumber() == null
                ? null
                : CallerIdentification.identify(tenant, call.callerNumber(), region, call.callId());
        if (identity != null && !identity.callable()) identity = null;
        if ((call.leadId() == null || call.leadId().isBlank()) && identity != null)
            call = new Call(identity.leadId(), call.entry(), call.callerNumber(), call.callId(), call.source());
        if (identity != null && !identity.leadId().equals(call.leadId())) identity = null; // someone else's lead
        final var madeOf = identity;
        final var source = call.source();
        CompletionStage<LeadEntity.State> fetching =
                call.leadId() == null || call.leadId().isBlank()
                        ? null
                        : qualify.lead(call.leadId())
                                .thenCompose(st -> st.known() || madeOf == null
                                        ? java.util.concurrent.CompletableFuture.completedFuture(st)
                                        : qualify.identify(madeOf, source, at));
        // The lead is read (or made) while the greeting plays: the caller never waits on it.
        LeadEntity.State lead = null;
        var answers = Qualification.empty(Qualification.Channel.IVR, at);
        try {
            char pending = line.play(welcome(call.entry()), CallerLine.ANY_KEY);
            lead = fetching == null ? null : await(fetching);
            var known = knownAnswers(lead, at);
            answers = known;
            // Warm the board's days now (recovered from the journal if need be), not when the caller waits for them.
            if (lead != null && lead.known()) booking.warm(at);
            var turn = Interview.start(known);
            while (true) {
                answers = turn.next().answers();
                var action = turn.action();
                if (action instanceof Interview.Ask ask) {
                    if (ask.again() && pending == 0) pending = line.play(prompts.sorry(), CallerLine.ANY_KEY);
                    String digits = read(line, pending, promptsOf(ask.step()), maxDigits(ask.step()));
                    pending = 0;
                    turn = turn.next().next(input(digits), settings.menu(), settings.area(), maxFailures(), now());
                } else if (action instanceof Interview.ReadBack back) {
                    pending = line.play(prompts.youEntered(), "12");
                    if (pending == 0) pending = line.sayDigits(back.zip(), "12");
                    String digits = read(line, pending, List.of(prompts.zipConfirm()), 1);
                    pending = 0;
                    turn = turn.next().next(input(digits), settings.menu(), settings.area(), maxFailures(), now());
                } else if (action instanceof Interview.Finished done) {
                    return finish(call, line, lead, done.answers());
                } else if (action instanceof Interview.HandOff off) {
                    storeLater(call.leadId(), lead, off.answers());
                    return toPerson(line, off.answers(), null, "no answer at " + off.at());
                } else {
                    var gone = (Interview.Abandoned) action;
                    storeLater(call.leadId(), lead, gone.answers());
                    return new Result(Next.HUNG_UP, null, gone.answers(), null, null);
                }
            }
        } catch (CallerHungUp gone) {
            storeLater(call.leadId(), lead, answers);
            log.info("Interview of lead {}: the caller hung up ({})", call.leadId(), describe(answers));
            return new Result(Next.HUNG_UP, null, answers, null, null);
        }
    }

    private Result finish(Call call, CallerLine line, LeadEntity.State lead, Qualification answers) {
        // Stored in the background (the ZIP's service area was decided by the interview with the same area): the
        // caller hears the next thing while the lead persists it.
        var stored = storeLater(call.leadId(), lead, answers);
        var plan = await(booking.plan(stored, now(), 2));
        if (plan == null) return toPerson(line, stored, null, "the booking rules did not answer");
        var flow = plan.decision().flow();
        log.info(
                "Interview of lead {}: {} by rule {} ({})",
                call.leadId(),
                flow,
                plan.decision().rule(),
                describe(stored));
        if (lead != null && lead.known())
            later(
                    booking.recordRoute(call.leadId(), plan.decision(), "ivr", now(), call.callId()),
                    "route of " + call.leadId());
        switch (flow) {
            case EMERGENCY -> {
                var to = booking.settings().emergency(booking.settings().hours().at(now()));
                line.set("SB_QUALIFY_NEXT", "emergency");
                set(line, to);
                line.set("SB_QUALIFY_WHISPER", whisper(stored, flow));
                return new Result(Next.EMERGENCY, flow, stored, to, whisper(stored, flow));
            }
            case NOT_SERVICEABLE -> {
                String why = Boolean.FALSE.equals(stored.inServiceArea())
                        ? "ZIP " + stored.zip() + " is outside the service area"
                        : "service " + stored.service() + " is not offered";
                if (lead != null && lead.known())
                    later(booking.decline(call.leadId(), why, now()), "decline of " + call.leadId());
                line.set("SB_QUALIFY_NEXT", "declined");
                line.play(settings.prompts().notServiceable(), "");
                return new Result(Next.DECLINED, flow, stored, null, null);
            }
            default -> {
                if (plan.board() != null && !plan.offer().isEmpty() && lead != null && lead.known())
                    return offer(call, line, stored, flow, plan.board(), plan.offer());
                return toPerson(line, stored, flow, null);
            }
        }
    }

    /** "Press 1 for Monday between 8 AM and 12 PM": holds the window chosen, re-offers a taken one. */
    private Result offer(
            Call call, CallerLine line, Qualification q, Flow flow, String board, List<BoardPlan.Window> windows) {
        var p = settings.prompts();
        int failures = 0;
        for (int round = 0; round < OFFER_ROUNDS + settings.maxFailures(); round++) {
            String keys = windows.size() == 1 ? "1" : "12";
            char pending = line.play(p.windows(), keys);
            for (int i = 0; i < windows.size() && pending == 0; i++) {
                var w = windows.get(i);
                pending = line.play(i == 0 ? p.press1For() : p.press2For(), keys);
                if (pending == 0) pending = line.sayTime(w.start(), "A", keys);
                if (pending == 0) pending = line.play(p.between(), keys);
                if (pending == 0) pending = line.sayTime(w.start(), "I p", keys);
                if (pending == 0) pending = line.play(p.and(), keys);
                if (pending == 0) pending = line.sayTime(w.end(), "I p", keys);
            }
            String digit = read(line, pending, List.of(), 1);
            int choice = digit.length() == 1 && Character.isDigit(digit.charAt(0)) ? digit.charAt(0) - '0' : 0;
            if (choice < 1 || choice > windows.size()) {
                if (++failures >= settings.maxFailures()) return toPerson(line, q, flow, "no window chosen");
                line.play(p.sorry(), "");
                continue;
            }
            var w = windows.get(choice - 1);
            // The window is held (exactly once, persisted) while the caller hears "one moment".
            var holding = booking.book(call.leadId(), board, w.date(), w.id(), "ivr", now());
            line.play(p.oneMoment(), "");
            var outcome = await(holding);
            if (outcome instanceof BookingDesk.Booked b) {
                line.set("SB_QUALIFY_NEXT", "booked");
                line.play(p.booked(), "");
                line.sayTime(b.window().start(), "A B d", "");
                line.play(p.between(), "");
                line.sayTime(b.window().start(), "I p", "");
                line.play(p.and(), "");
                line.sayTime(b.window().end(), "I p", "");
                line.play(p.goodbye(), "");
                log.info("Interview of lead {}: booked {} {} {}", call.leadId(), board, w.date(), w.id());
                return new Result(Next.BOOKED, flow, q, null, null);
            }
            if (!(outcome instanceof BookingDesk.Full)) return toPerson(line, q, flow, "booking failed: " + outcome);
            line.play(p.windowTaken(), "");
            var again = await(booking.freeWindows(board, now(), 2));
            if (again == null || again.isEmpty()) return toPerson(line, q, flow, "no free window left");
            windows = again;
        }
        return toPerson(line, q, flow, "no window held");
    }

    private Result toPerson(CallerLine line, Qualification q, Flow flow, String why) {
        String whisper = whisper(q, flow);
        line.set("SB_QUALIFY_NEXT", "csr");
        line.set("SB_QUALIFY_WHISPER", whisper);
        line.play(settings.prompts().transfer(), "");
        if (why != null) log.info("Interview: to a CSR ({}): {}", why, whisper);
        return new Result(Next.CSR, flow, q, null, whisper);
    }

    private static void set(CallerLine line, Handover to) {
        if (to instanceof Handover.ToQueue q) line.set("SB_QUALIFY_QUEUE", q.queue());
        else if (to instanceof Handover.ToNumber n) line.set("SB_QUALIFY_DIAL", n.dial());
    }

    /** What the CSR's phone shows: what the caller answered, short ("repair 27601 SOON NEW"). */
    static String whisper(Qualification q, Flow flow) {
        var parts = new ArrayList<String>();
        if (q != null) {
            if (q.service() != null) parts.add(q.service());
            if (q.zip() != null) parts.add(q.zip() + (Boolean.FALSE.equals(q.inServiceArea()) ? " OUT" : ""));
            if (q.urgency() != null) parts.add(q.urgency().name());
            if (q.customer() != null) parts.add(q.customer().name());
        }
        if (flow != null && flow != Flow.HUMAN_REVIEW) parts.add(flow.name());
        return parts.isEmpty() ? "IVR ?" : "IVR " + String.join(" ", parts);
    }

    private String read(CallerLine line, char pending, List<String> prompts, int maxDigits) {
        if (pending == 0) return line.read(prompts, settings.digitTimeout(), maxDigits);
        if (maxDigits == 1 || pending == '#') return pending == '#' ? "" : String.valueOf(pending);
        return pending + line.read(List.of(), settings.digitTimeout(), maxDigits - 1);
    }

    private List<String> promptsOf(Interview.Step step) {
        var p = settings.prompts();
        return switch (step) {
            case SERVICE ->
                settings.menu().options().stream().map(o -> o.prompt()).toList();
            case ZIP -> List.of(p.zip());
            case CONFIRM_ZIP -> List.of(p.zipConfirm());
            case URGENCY -> List.of(p.urgency());
            case CUSTOMER -> List.of(p.customer());
            case DONE -> List.of();
        };
    }

    private static int maxDigits(Interview.Step step) {
        return step == Interview.Step.ZIP ? 5 : 1;
    }

    private static Interview.Input input(String digits) {
        return digits == null || digits.isEmpty() ? new Interview.NoInput() : new Interview.Pressed(digits);
    }

    private String welcome(Entry entry) {
        var p = settings.prompts();
        return switch (entry) {
            case CALLBACK -> p.welcomeCallback();
            case AFTER_HOURS -> p.welcomeAfterHours();
            case OVERFLOW, OTHER -> p.welcomeOverflow();
        };
    }

    private int maxFailures() {
        return settings.maxFailures();
    }

    private Instant now() {
        return clock.instant();
    }

    /**
     * What need not be asked: answers given for the matter at hand (since the open recovery began), and whether
     * they are a customer already (answered before, or booked before).
     */
    static Qualification knownAnswers(LeadEntity.State lead, Instant at) {
        var none = Qualification.empty(Qualification.Channel.IVR, at);
        if (lead == null || !lead.known()) return none;
        var q = lead.qualification();
        var since = lead.recovery() == null ? null : lead.recovery().openedAt();
        var known = q != null && since != null && !q.at().isBefore(since)
                ? new Qualification(
                        q.service(),
                        q.zip(),
                        q.inServiceArea(),
                        q.urgency(),
                        q.customer(),
                        Qualification.Channel.IVR,
                        at)
                : none;
        if (known.customer() == null && q != null && q.customer() != null) known = known.withCustomer(q.customer());
        if (known.customer() == null && (lead.booking() != null || lead.answeredCalls() > 0))
            known = known.withCustomer(Qualification.CustomerStatus.EXISTING);
        return known;
    }

    /** Stores the answers on the lead without waiting (a failure is logged); returns them. */
    private Qualification storeLater(String leadId, LeadEntity.State lead, Qualification answers) {
        if (answers == null || answers.isEmpty() || lead == null || !lead.known()) return answers;
        later(qualify.record(leadId, answers, "ivr"), "answers of " + leadId);
        return answers;
    }

    private static void later(CompletionStage<?> stage, String what) {
        stage.whenComplete((ok, e) -> {
            if (e != null) log.warn("Interview: storing the {} failed: {}", what, e.toString());
        });
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            log.warn("Interview: {} did not answer in time: {}", "the node", e.toString());
            return null;
        }
    }

    private static String describe(Qualification q) {
        return q == null ? "nothing answered" : whisper(q, null);
    }
}
