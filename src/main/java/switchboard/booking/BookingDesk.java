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
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import switchboard.lead.LeadEntity;
import switchboard.lead.Qualification;
import switchboard.qualify.ServiceMenu;

/**
 * The booking use case: what the rules say for a qualified caller, which windows to offer, and booking one — the
 * board's day entity holds the window first (exactly once, within capacity), then the lead records the booking
 * (its open recovery ends as BOOKED). The interview (FastAGI), the API and the intake call this.
 */
public final class BookingDesk {
    private static final Duration ASK = Duration.ofSeconds(5);

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

    public BookingDesk(ActorSystem<?> system, BookingSettings settings, ServiceMenu menu) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
        this.menu = menu;
    }

    public static void init(ActorSystem<?> system) {
        BoardDay.init(system);
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
        var option = q.service() == null ? null : menu.byService(q.service()).orElse(null);
        var hours = settings.hours().at(now);
        // The rules may ask whether a window is free: look at the board of the flow the rules would pick with one.
        var hopeful = situation(q, option, hours, true);
        var first = settings.rules().decide(hopeful);
        String board = settings.boardOfFlow().get(first.flow());
        if (board == null) return CompletableFuture.completedFuture(new Plan(first, null, List.of()));
        return freeWindows(board, now, Math.max(offer, 1)).thenApply(windows -> {
            if (!windows.isEmpty()) return new Plan(first, board, windows.subList(0, Math.min(offer, windows.size())));
            var decision = settings.rules().decide(situation(q, option, hours, false));
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

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<BoardDay.Command> day(
            String board, LocalDate date) {
        return sharding.entityRefFor(BoardDay.ENTITY_KEY, BoardDay.entityId(board, date));
    }
}
