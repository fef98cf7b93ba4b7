package switchboard.booking;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.lead.LeadEntity;
import switchboard.lead.Qualification;
import switchboard.qualify.ServiceMenu;

/**
 * The booking use case: what the rules say for a qualified caller, which windows to offer, and booking one — the
 * board's day entity holds the window first (exactly once, within capacity), then the lead records the booking
 * (its open recovery ends as BOOKED). The interview (FastAGI), the API and the intake call this.
 *
 * <p>The rule table in effect is the one stored through the API ({@link BookingRuleStore}), else the configuration's.
 * Every plan asks the store for it — the plan is asynchronous anyway (it asks the board's days), the store is one
 * entity kept in memory, and so a change made on any node applies on every node from the next plan on, with nothing
 * to invalidate. Should the store not answer, the last table it gave is used (never blocking, never undecided).
 */
public final class BookingDesk {
    private static final Logger log = LoggerFactory.getLogger(BookingDesk.class);
    private static final Duration ASK = Duration.ofSeconds(5);
    private static final Duration RULES_ASK = Duration.ofSeconds(2);

    /** Where the table in effect comes from. */
    public enum RulesSource {
        /** {@code switchboard.booking.rules}, or the shipped table when the configuration gives none. */
        CONFIGURATION,
        /** Put through {@code PUT /api/booking/rules}. */
        API
    }

    /**
     * The rule table in effect: the rules, their written form, where they come from, and the last change through the
     * API ({@code changedAt}/{@code changedBy} null before any).
     */
    public record RulesInEffect(
            BookingRules rules,
            List<RuleTable.Written> table,
            RulesSource source,
            Instant changedAt,
            String changedBy) {}

    /** What to do with the caller, and the windows to offer when the flow books into a board. */
    public record Plan(BookingRules.Decision decision, String board, List<BoardPlan.Window> offer) {}

    public sealed interface Outcome {}

    public record Booked(BoardPlan.Window window, boolean changed) implements Outcome {}

    /** Taken meanwhile by someone else: offer again. */
    public record Full(BoardPlan.Window window) implements Outcome {}

    public record NoSuchWindow(String why) implements Outcome {}

    public record NoSuchLead(String leadId) implements Outcome {}

    private final ClusterSharding sharding;
    private final BookingSettings settings;
    private final ServiceMenu menu;
    private final EntityRef<BookingRuleStore.Command> ruleStore;
    /** The store's last answer and what it means (parsed once per change, and the fallback if the store is slow). */
    private final AtomicReference<Map.Entry<BookingRuleStore.State, RulesInEffect>> lastRules;

    /** {@code tenant}: whose rule table ({@link BookingRuleStore} entity) this desk applies. */
    public BookingDesk(ActorSystem<?> system, BookingSettings settings, ServiceMenu menu, String tenant) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
        this.menu = menu;
        this.ruleStore = sharding.entityRefFor(BookingRuleStore.ENTITY_KEY, tenant);
        var configured = new RulesInEffect(
                settings.rules(), RuleTable.write(settings.rules()), RulesSource.CONFIGURATION, null, null);
        this.lastRules = new AtomicReference<>(Map.entry(new BookingRuleStore.State(null, null, null), configured));
    }

    public static void init(ActorSystem<?> system) {
        BoardDay.init(system);
        BookingRuleStore.init(system);
    }

    /** The rule table in effect now (asks the store; its last answer if it does not answer in time). */
    public CompletionStage<RulesInEffect> rules() {
        return ruleStore
                .<BookingRuleStore.State>ask(BookingRuleStore.Get::new, RULES_ASK)
                .thenApply(this::inEffect)
                .exceptionally(e -> {
                    var last = lastRules.get().getValue();
                    log.warn("The booking-rule store did not answer ({}); using the last table it gave", e.toString());
                    return last;
                });
    }

    /**
     * Replaces the table in effect with {@code table} (stored first, so it survives a restart, in its canonical written
     * form). A table that is not
     * valid throws {@link RuleTable.BadRule} at once, naming the rule and field; nothing is stored then.
     */
    public CompletionStage<RulesInEffect> replaceRules(List<RuleTable.Written> table, String by, Instant at) {
        // Stored as read back (names in one case, lists in order): the same table written differently is no change.
        var canonical = RuleTable.write(RuleTable.parse(table, services()));
        return ruleStore
                .<BookingRuleStore.State>ask(r -> new BookingRuleStore.Replace(canonical, by, at, r), ASK)
                .thenApply(this::inEffect);
    }

    /** Back to the configuration's table (a no-op when none is stored). */
    public CompletionStage<RulesInEffect> resetRules(String by, Instant at) {
        return ruleStore
                .<BookingRuleStore.State>ask(r -> new BookingRuleStore.Reset(by, at, r), ASK)
                .thenApply(this::inEffect);
    }

    private java.util.Set<String> services() {
        var ids = new java.util.LinkedHashSet<String>();
        menu.options().forEach(o -> ids.add(o.service()));
        return ids;
    }

    /** What a state of the store means: its table, or the configuration's when none is stored (or it became invalid). */
    private RulesInEffect inEffect(BookingRuleStore.State state) {
        var last = lastRules.get();
        if (last.getKey().equals(state)) return last.getValue();
        RulesInEffect now;
        if (!state.stored()) {
            now = new RulesInEffect(
                    settings.rules(),
                    RuleTable.write(settings.rules()),
                    RulesSource.CONFIGURATION,
                    state.at(),
                    state.by());
        } else {
            BookingRules parsed;
            try {
                parsed = RuleTable.parse(state.rules(), null);
            } catch (IllegalArgumentException bad) {
                log.warn(
                        "The booking rules stored through the API are not valid any more ({}); the configuration's apply",
                        bad.getMessage());
                parsed = null;
            }
            now = parsed == null
                    ? new RulesInEffect(
                            settings.rules(),
                            RuleTable.write(settings.rules()),
                            RulesSource.CONFIGURATION,
                            state.at(),
                            state.by())
                    : new RulesInEffect(parsed, state.rules(), RulesSource.API, state.at(), state.by());
        }
        lastRules.set(Map.entry(state, now));
        return now;
    }

    public BookingSettings settings() {
        return settings;
    }

    /** Applies the rules to {@code q} at {@code now}; for a flow with a board, also the next {@code offer} free windows. */
    public CompletionStage<Plan> plan(Qualification q, Instant now, int offer) {
        return rules().thenCompose(table -> plan(table.rules(), q, now, offer));
    }

    private CompletionStage<Plan> plan(BookingRules rules, Qualification q, Instant now, int offer) {
        var option = q.service() == null ? null : menu.byService(q.service()).orElse(null);
        var hours = settings.hours().at(now);
        // The rules may ask whether a window is free: look at the board of the flow the rules would pick with one.
        var hopeful = situation(q, option, hours, true);
        var first = rules.decide(hopeful);
        String board = settings.boardOfFlow().get(first.flow());
        if (board == null) return CompletableFuture.completedFuture(new Plan(first, null, List.of()));
        return freeWindows(board, now, Math.max(offer, 1)).thenApply(windows -> {
            if (!windows.isEmpty()) return new Plan(first, board, windows.subList(0, Math.min(offer, windows.size())));
            var decision = rules.decide(situation(q, option, hours, false));
            String b = settings.boardOfFlow().get(decision.flow());
            return new Plan(decision, b, List.of());
        });
    }

    private static BookingRules.Situation situation(
            Qualification q, ServiceMenu.Option option, OpenHours.State hours, boolean freeWindow) {
        return new BookingRules.Situation(
                q.service(),
                option == null ? null : option.kind(),
                q.service() == null || option != null,
                q.zip(),
                q.inServiceArea(),
                q.urgency(),
                q.customer(),
                hours,
                freeWindow);
    }

    /** The next free windows of {@code board} from {@code now}, reading each day's bookings from its entity. */
    public CompletionStage<List<BoardPlan.Window>> freeWindows(String board, Instant now, int howMany) {
        var plan = settings.board();
        var today = now.atZone(plan.zone()).toLocalDate();
        var days = new ArrayList<LocalDate>();
        for (int d = 0; d <= settings.daysAhead(); d++) {
            var date = today.plusDays(d);
            if (!plan.slots(board, date).isEmpty()) days.add(date);
        }
        var asks = new ArrayList<CompletableFuture<Map.Entry<LocalDate, BoardDay.State>>>();
        for (var date : days)
            asks.add(day(board, date)
                    .<BoardDay.State>ask(BoardDay.Get::new, ASK)
                    .thenApply(s -> Map.entry(date, s))
                    .toCompletableFuture());
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            var states = new HashMap<LocalDate, BoardDay.State>();
            asks.forEach(a -> states.put(a.join().getKey(), a.join().getValue()));
            return plan.nextFree(board, now, howMany, settings.daysAhead(), (b, date) -> {
                var st = states.get(date);
                var out = new HashMap<String, int[]>();
                for (var slot : plan.slots(b, date))
                    out.put(slot.id(), new int[] {
                        st == null ? slot.capacity() : st.capacity(slot.id(), slot.capacity()),
                        st == null ? 0 : st.booked(slot.id())
                    });
                return out;
            });
        });
    }

    /** Holds {@code window} of {@code board} on {@code date} for the lead, then records the booking on the lead. */
    public CompletionStage<Outcome> book(
            String leadId, String board, LocalDate date, String window, String by, Instant at) {
        var slot = settings.board().slots(board, date).stream()
                .filter(s -> s.id().equals(window))
                .findFirst();
        if (slot.isEmpty())
            return CompletableFuture.completedFuture(
                    new NoSuchWindow("board " + board + " has no window " + window + " on " + date));
        var hours = slot.get().hours();
        var zone = settings.board().zone();
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK)
                .thenCompose(st -> !st.known()
                        ? CompletableFuture.completedFuture((Outcome) new NoSuchLead(leadId))
                        : hold(leadId, board, date, window, by, at, slot.get(), hours, zone));
    }

    /** Cancels the lead's booking: the board's window is released, then the lead forgets it. False: nothing booked. */
    public CompletionStage<Boolean> cancel(String leadId, String by, Instant at) {
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK).thenCompose(st -> {
            var b = st.booking();
            if (b == null) return CompletableFuture.completedFuture(false);
            return day(b.board(), b.date())
                    .<BoardDay.Reply>ask(r -> new BoardDay.Cancel(leadId, by, at, r), ASK)
                    .thenCompose(x -> lead.<LeadEntity.Ack>ask(r -> new LeadEntity.CancelBooking(by, at, r), ASK))
                    .thenApply(ack -> true);
        });
    }

    /** A person sets a window's capacity for one day (0 closes it). */
    public CompletionStage<BoardDay.Reply> setCapacity(
            String board, LocalDate date, String window, int capacity, String by, Instant at) {
        return day(board, date).ask(r -> new BoardDay.SetCapacity(window, capacity, by, at, r), ASK);
    }

    /** Every window of {@code board} from {@code from} to {@code to} (inclusive), with its capacity and bookings. */
    public CompletionStage<List<Map<String, Object>>> board(String board, LocalDate from, LocalDate to) {
        var plan = settings.board();
        var asks = new ArrayList<CompletableFuture<List<Map<String, Object>>>>();
        for (var date = from; !date.isAfter(to); date = date.plusDays(1)) {
            var slots = plan.slots(board, date);
            if (slots.isEmpty()) continue;
            final var d = date;
            asks.add(day(board, d)
                    .<BoardDay.State>ask(BoardDay.Get::new, ASK)
                    .thenApply(st -> {
                        var rows = new ArrayList<Map<String, Object>>();
                        for (var s : slots) {
                            var row = new java.util.LinkedHashMap<String, Object>();
                            row.put("board", board);
                            row.put("date", d.toString());
                            row.put("window", s.id());
                            row.put("capacity", st.capacity(s.id(), s.capacity()));
                            row.put("booked", st.booked(s.id()));
                            row.put("leads", st.bookings().getOrDefault(s.id(), List.of()));
                            rows.add(row);
                        }
                        return (List<Map<String, Object>>) rows;
                    })
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            var all = new ArrayList<Map<String, Object>>();
            asks.forEach(a -> all.addAll(a.join()));
            return all;
        });
    }

    private CompletionStage<Outcome> hold(
            String leadId,
            String board,
            LocalDate date,
            String window,
            String by,
            Instant at,
            BoardPlan.Slot slot,
            OpenHours.Range hours,
            java.time.ZoneId zone) {
        return day(board, date)
                .<BoardDay.Reply>ask(r -> new BoardDay.Book(window, slot.capacity(), leadId, by, at, r), ASK)
                .thenCompose(reply -> {
                    if (reply instanceof BoardDay.Booked b) {
                        var w = new BoardPlan.Window(
                                board,
                                date,
                                window,
                                date.atTime(hours.from()).atZone(zone),
                                date.atTime(hours.to()).atZone(zone),
                                slot.capacity(),
                                b.booked());
                        return sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId)
                                .<LeadEntity.Ack>ask(
                                        r -> new LeadEntity.RecordBooking(
                                                new LeadEntity.Booking(board, date, window, by, at), r),
                                        ASK)
                                .thenApply(ack -> (Outcome) new Booked(w, b.changed()));
                    }
                    var f = (BoardDay.Full) reply;
                    return CompletableFuture.completedFuture((Outcome) new Full(new BoardPlan.Window(
                            board,
                            date,
                            window,
                            date.atTime(hours.from()).atZone(zone),
                            date.atTime(hours.to()).atZone(zone),
                            f.capacity(),
                            f.capacity())));
                });
    }

    private EntityRef<BoardDay.Command> day(String board, LocalDate date) {
        return sharding.entityRefFor(BoardDay.ENTITY_KEY, BoardDay.entityId(board, date));
    }
}
