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
    /**
     * Free windows read in the last second, per board, count and minute: fifty callers reaching the offer at once
     * share one read of the board's days instead of asking each day fifty times. Only a hint — the board's day entity
     * holds a window exactly once whatever was offered (a taken one answers Full and is re-offered) — and dropped
     * at once when this node books, cancels or changes a capacity.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Offer> recent =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Offer(long readAt, CompletableFuture<List<BoardPlan.Window>> windows) {}

    private static final long OFFER_FRESH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
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

    /** Reads every board's next free windows now, so that the first caller offered one does not wait for it. */
    public void warm(Instant now) {
        for (var board : new java.util.TreeSet<>(settings.boardOfFlow().values())) freeWindows(board, now, 2);
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

    /** The next free windows of {@code board} from {@code now} (read at most a second ago; see {@link #recent}). */
    public CompletionStage<List<BoardPlan.Window>> freeWindows(String board, Instant now, int howMany) {
        String key = board + "|" + howMany + "|" + now.getEpochSecond() / 60;
        long t = System.nanoTime();
        var offer = recent.compute(
                key,
                (k, old) -> old != null
                                && t - old.readAt() < OFFER_FRESH_NANOS
                                && !old.windows().isCompletedExceptionally()
                        ? old
                        : new Offer(t, readFreeWindows(board, now, howMany).toCompletableFuture()));
        if (recent.size() > 64) recent.values().removeIf(o -> t - o.readAt() >= OFFER_FRESH_NANOS);
        return offer.windows();
    }

    /** Reads the free windows of {@code board} from {@code now}: each day's bookings from its entity. */
    private CompletionStage<List<BoardPlan.Window>> readFreeWindows(String board, Instant now, int howMany) {
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
        recent.clear();
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
            recent.clear();
            return day(b.board(), b.date())
                    .<BoardDay.Reply>ask(r -> new BoardDay.Cancel(leadId, by, at, r), ASK)
                    .thenCompose(x -> lead.<LeadEntity.Ack>ask(r -> new LeadEntity.CancelBooking(by, at, r), ASK))
                    .thenApply(ack -> true);
        });
    }

    /** Stores what the rules decided for the lead (shown on the lead; the CRM hand-off reads it). */
    public CompletionStage<LeadEntity.Ack> recordRoute(
            String leadId, BookingRules.Decision d, String by, Instant at, String callId) {
        return sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId)
                .ask(
                        r -> new LeadEntity.RecordRoute(
                                new LeadEntity.Route(d.flow().name(), d.rule(), by, at, callId), r),
                        ASK);
    }

    /**
     * Not served (outside the area, a service not offered): the lead's open recovery ends as NOT_SERVICEABLE with
     * {@code why}, so nobody calls them back. Replies with the lead's ack (no recovery: nothing was open).
     */
    public CompletionStage<LeadEntity.Ack> decline(String leadId, String why, Instant at) {
        return sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId)
                .ask(r -> new LeadEntity.Close(null, switchboard.lead.RecoveryStatus.NOT_SERVICEABLE, why, at, r), ASK);
    }

    /** A person sets a window's capacity for one day (0 closes it). */
    public CompletionStage<BoardDay.Reply> setCapacity(
            String board, LocalDate date, String window, int capacity, String by, Instant at) {
        recent.clear();
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
