package switchboard.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import switchboard.common.CborSerializable;

/**
 * One board's bookings on one date ({@code service:2026-12-08}), event-sourced and sharded. Every booking of that day
 * goes through this one actor, one command at a time, so a window never takes more jobs than its capacity however
 * many callers race for the last place; the count is checked against the state the journal holds, and the reply
 * goes out only once the booking is stored. A lead holds at most one window a day on a board: booking the same
 * window again is a no-op (a retried request), another window is a move.
 */
public final class BoardDay
        extends EventSourcedBehaviorWithEnforcedReplies<BoardDay.Command, BoardDay.Event, BoardDay.State> {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "BoardDay");

    public static String entityId(String board, LocalDate date) {
        if (board == null || !board.matches("[a-z0-9][a-z0-9_-]{0,39}"))
            throw new IllegalArgumentException(
                    "a board id is lower-case letters, digits, '-' or '_', got '" + board + "'");
        return board + ":" + date;
    }

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** {@code planCapacity}: the plan's capacity for the window, used unless a person set another for this day. */
    public record Book(String window, int planCapacity, String leadId, String by, Instant at, ActorRef<Reply> replyTo)
            implements Command {}

    public record Cancel(String leadId, String by, Instant at, ActorRef<Reply> replyTo) implements Command {}

    public record SetCapacity(String window, int capacity, String by, Instant at, ActorRef<Reply> replyTo)
            implements Command {
        public SetCapacity {
            if (capacity < 0) throw new IllegalArgumentException("a window's capacity is 0 or more, got " + capacity);
        }
    }

    public record Get(ActorRef<State> replyTo) implements Command {}

    public sealed interface Reply extends CborSerializable {}

    /** {@code changed}: false when the lead already held this window. */
    public record Booked(String window, String leadId, int booked, boolean changed) implements Reply {}

    public record Full(String window, int capacity) implements Reply {}

    public record Cancelled(String window, String leadId) implements Reply {}

    public record NotBooked(String leadId) implements Reply {}

    public record CapacitySet(String window, int capacity, int booked) implements Reply {}

    // ---- events ----

    public sealed interface Event extends CborSerializable {}

    public record WindowBooked(String window, String leadId, String by, Instant at) implements Event {}

    public record BookingCancelled(String window, String leadId, String by, Instant at) implements Event {}

    public record CapacityChanged(String window, int capacity, String by, Instant at) implements Event {}

    // ---- state ----

    /** Window id → the leads holding it, in booking order; capacities a person set for this day. */
    public record State(Map<String, List<String>> bookings, Map<String, Integer> capacities)
            implements CborSerializable {
        public State {
            bookings = bookings == null ? Map.of() : Map.copyOf(bookings);
            capacities = capacities == null ? Map.of() : Map.copyOf(capacities);
        }

        public int booked(String window) {
            return bookings.getOrDefault(window, List.of()).size();
        }

        public int capacity(String window, int planCapacity) {
            return capacities.getOrDefault(window, planCapacity);
        }

        /** The window {@code leadId} holds this day, or null. */
        public String windowOf(String leadId) {
            for (var e : bookings.entrySet()) if (e.getValue().contains(leadId)) return e.getKey();
            return null;
        }

        State apply(Event e) {
            var b = new TreeMap<String, List<String>>();
            bookings.forEach((k, v) -> b.put(k, new java.util.ArrayList<>(v)));
            var c = new LinkedHashMap<>(capacities);
            if (e instanceof WindowBooked w) {
                b.values().forEach(l -> l.remove(w.leadId())); // a move leaves the old window
                b.computeIfAbsent(w.window(), k -> new java.util.ArrayList<>()).add(w.leadId());
            } else if (e instanceof BookingCancelled x) {
                b.getOrDefault(x.window(), new java.util.ArrayList<>()).remove(x.leadId());
            } else if (e instanceof CapacityChanged x) {
                c.put(x.window(), x.capacity());
            }
            b.values().removeIf(List::isEmpty);
            return new State(b, c);
        }
    }

    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    public static Behavior<Command> create(String entityId) {
        return new BoardDay(entityId);
    }

    private BoardDay(String entityId) {
        super(PersistenceId.of(ENTITY_KEY.name(), entityId));
    }

    @Override
    public State emptyState() {
        return new State(Map.of(), Map.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Book.class, this::onBook)
                .onCommand(Cancel.class, this::onCancel)
                .onCommand(SetCapacity.class, this::onSetCapacity)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onBook(State state, Book cmd) {
        if (cmd.window().equals(state.windowOf(cmd.leadId())))
            return Effect()
                    .reply(cmd.replyTo(), new Booked(cmd.window(), cmd.leadId(), state.booked(cmd.window()), false));
        int capacity = state.capacity(cmd.window(), cmd.planCapacity());
        if (state.booked(cmd.window()) >= capacity)
            return Effect().reply(cmd.replyTo(), new Full(cmd.window(), capacity));
        return Effect()
                .persist(new WindowBooked(cmd.window(), cmd.leadId(), cmd.by(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> new Booked(cmd.window(), cmd.leadId(), s.booked(cmd.window()), true));
    }

    private ReplyEffect<Event, State> onCancel(State state, Cancel cmd) {
        var window = state.windowOf(cmd.leadId());
        if (window == null) return Effect().reply(cmd.replyTo(), new NotBooked(cmd.leadId()));
        return Effect()
                .persist(new BookingCancelled(window, cmd.leadId(), cmd.by(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> new Cancelled(window, cmd.leadId()));
    }

    private ReplyEffect<Event, State> onSetCapacity(State state, SetCapacity cmd) {
        if (Integer.valueOf(cmd.capacity()).equals(state.capacities().get(cmd.window())))
            return Effect()
                    .reply(cmd.replyTo(), new CapacitySet(cmd.window(), cmd.capacity(), state.booked(cmd.window())));
        // Lowering a capacity below what is booked keeps the bookings (people were promised a visit); it only stops
        // new ones.
        return Effect()
                .persist(new CapacityChanged(cmd.window(), cmd.capacity(), cmd.by(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> new CapacitySet(cmd.window(), cmd.capacity(), s.booked(cmd.window())));
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
