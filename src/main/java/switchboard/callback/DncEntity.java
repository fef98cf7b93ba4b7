package switchboard.callback;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
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
 * The do-not-call numbers put on the list through the API, per tenant, event-sourced: a number listed once stays
 * listed across restarts and on every node until it is taken off. (Numbers from the DNC file are imported at each
 * start and are not stored here.) Only real changes are stored; E.164 only — callers normalise first.
 */
public final class DncEntity
        extends EventSourcedBehaviorWithEnforcedReplies<DncEntity.Command, DncEntity.Event, DncEntity.State> {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "DoNotCall");

    public sealed interface Command extends CborSerializable {}

    public record Add(String e164, Instant at, ActorRef<Changed> replyTo) implements Command {}

    public record Remove(String e164, Instant at, ActorRef<Changed> replyTo) implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    /** {@code changed}: false when the number already was (Add) or was not (Remove) on the list. */
    public record Changed(String e164, boolean listed, boolean changed) implements CborSerializable {}

    public sealed interface Event extends CborSerializable {}

    public record Listed(String e164, Instant at) implements Event {}

    public record Unlisted(String e164, Instant at) implements Event {}

    public record State(Set<String> numbers) implements CborSerializable {
        public State {
            numbers = numbers == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(numbers));
        }

        State apply(Event e) {
            var s = new TreeSet<>(numbers);
            if (e instanceof Listed l) s.add(l.e164());
            else if (e instanceof Unlisted u) s.remove(u.e164());
            return new State(s);
        }
    }

    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    public static Behavior<Command> create(String tenant) {
        return new DncEntity(tenant);
    }

    private DncEntity(String tenant) {
        super(PersistenceId.of(ENTITY_KEY.name(), tenant));
    }

    @Override
    public State emptyState() {
        return new State(Set.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Add.class, this::onAdd)
                .onCommand(Remove.class, this::onRemove)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onAdd(State state, Add cmd) {
        if (state.numbers().contains(cmd.e164()))
            return Effect().reply(cmd.replyTo(), new Changed(cmd.e164(), true, false));
        return Effect()
                .persist(new Listed(cmd.e164(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> new Changed(cmd.e164(), true, true));
    }

    private ReplyEffect<Event, State> onRemove(State state, Remove cmd) {
        if (!state.numbers().contains(cmd.e164()))
            return Effect().reply(cmd.replyTo(), new Changed(cmd.e164(), false, false));
        return Effect()
                .persist(new Unlisted(cmd.e164(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> new Changed(cmd.e164(), false, true));
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
