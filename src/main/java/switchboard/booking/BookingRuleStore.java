package switchboard.booking;

import java.time.Instant;
import java.util.List;
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
import switchboard.common.CborSerializable;

/**
 * The booking-rule table changed through the API, one per tenant, event-sourced like the overflow policies: a table
 * put through the API replaces the configured one ({@code switchboard.booking.rules}, or the shipped table) until it
 * is removed again, survives restarts and is the same on every node. Kept in its written form
 * ({@link RuleTable.Written}), checked before it is stored. Only real changes are stored: the same table again, or a
 * removal when nothing is stored, persists nothing.
 */
public final class BookingRuleStore
        extends EventSourcedBehaviorWithEnforcedReplies<
                BookingRuleStore.Command, BookingRuleStore.Event, BookingRuleStore.State> {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "BookingRules");

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** Replaces the whole table (an empty one is allowed); replies with the stored state. */
    public record Replace(List<RuleTable.Written> rules, String by, Instant at, ActorRef<State> replyTo)
            implements Command {}

    /** Back to the configuration's table; replies with the stored state. */
    public record Reset(String by, Instant at, ActorRef<State> replyTo) implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record RulesReplaced(List<RuleTable.Written> rules, String by, Instant at) implements Event {}

    public record RulesReset(String by, Instant at) implements Event {}

    // ---- state ----

    /**
     * {@code rules}: the table put through the API, or null while the configuration's applies; {@code by} and
     * {@code at}: the last change (null before any).
     */
    public record State(List<RuleTable.Written> rules, String by, Instant at) implements CborSerializable {
        public State {
            rules = rules == null ? null : List.copyOf(rules);
        }

        static State empty() {
            return new State(null, null, null);
        }

        public boolean stored() {
            return rules != null;
        }

        State apply(Event e) {
            if (e instanceof RulesReplaced r) return new State(r.rules(), r.by(), r.at());
            var reset = (RulesReset) e;
            return new State(null, reset.by(), reset.at());
        }
    }

    // ---- wiring ----

    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    public static Behavior<Command> create(String tenant) {
        return new BookingRuleStore(tenant);
    }

    private BookingRuleStore(String tenant) {
        super(PersistenceId.of(ENTITY_KEY.name(), tenant));
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Replace.class, this::onReplace)
                .onCommand(Reset.class, this::onReset)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onReplace(State state, Replace cmd) {
        var rules = List.copyOf(cmd.rules());
        if (rules.equals(state.rules())) return Effect().reply(cmd.replyTo(), state);
        return Effect().persist(new RulesReplaced(rules, cmd.by(), cmd.at())).thenReply(cmd.replyTo(), s -> s);
    }

    private ReplyEffect<Event, State> onReset(State state, Reset cmd) {
        if (!state.stored()) return Effect().reply(cmd.replyTo(), state);
        return Effect().persist(new RulesReset(cmd.by(), cmd.at())).thenReply(cmd.replyTo(), s -> s);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
