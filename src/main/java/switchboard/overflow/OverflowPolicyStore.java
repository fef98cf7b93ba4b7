package switchboard.overflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.LoggerFactory;
import switchboard.common.CborSerializable;

/**
 * The overflow policies changed through the API, per PBX, event-sourced: a change survives restarts and reaches
 * every node. The configuration file gives the starting policies; what is stored here overrides them queue by
 * queue — a policy set through the API replaces the configured one, a removal removes it — so a restart no
 * longer undoes what an operator did at run time. Only real changes are stored.
 */
public final class OverflowPolicyStore
        extends EventSourcedBehaviorWithEnforcedReplies<
                OverflowPolicyStore.Command, OverflowPolicyStore.Event, OverflowPolicyStore.State> {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "OverflowPolicies");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    /** Replaces the queue's policy; replies with the stored state. */
    public record Put(OverflowPolicy.Spec policy, Instant at, ActorRef<State> replyTo) implements Command {}

    /** Removes the queue's policy (configured or not); replies with the stored state. */
    public record Remove(String queue, Instant at, ActorRef<State> replyTo) implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    public sealed interface Event extends CborSerializable {}

    public record PolicyPut(OverflowPolicy.Spec policy, Instant at) implements Event {}

    public record PolicyRemoved(String queue, Instant at) implements Event {}

    // ---- state ----

    /** Per queue: the policy set through the API, or null where it was removed. */
    public record State(Map<String, OverflowPolicy.Spec> overrides) implements CborSerializable {
        public State {
            overrides = overrides == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(overrides));
        }

        static State empty() {
            return new State(Map.of());
        }

        State apply(Event e) {
            var m = new TreeMap<String, OverflowPolicy.Spec>(overrides);
            if (e instanceof PolicyPut p) m.put(p.policy().queue(), p.policy());
            else if (e instanceof PolicyRemoved r) m.put(r.queue(), null);
            return new State(m);
        }

        /** The configured policies with the stored changes applied. A stored policy that no longer parses is skipped. */
        public List<OverflowPolicy> over(List<OverflowPolicy> configured) {
            var byQueue = new TreeMap<String, OverflowPolicy>();
            for (var p : configured) byQueue.put(p.queue(), p);
            for (var e : overrides.entrySet()) {
                if (e.getValue() == null) {
                    byQueue.remove(e.getKey());
                    continue;
                }
                try {
                    byQueue.put(e.getKey(), e.getValue().toPolicy());
                } catch (IllegalArgumentException bad) {
                    org.slf4j.LoggerFactory.getLogger(OverflowPolicyStore.class)
                            .warn(
                                    "Stored overflow policy of queue {} is not valid any more ({}); the configured one applies",
                                    e.getKey(),
                                    bad.getMessage());
                }
            }
            return new ArrayList<>(byQueue.values());
        }
    }

    // ---- wiring ----

    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    /** The configured policies with the changes made through the API applied (read once, at start; blocking). */
    public static List<OverflowPolicy> stored(ActorSystem<?> system, String pbxId, List<OverflowPolicy> configured)
            throws Exception {
        var store = ClusterSharding.get(system).entityRefFor(ENTITY_KEY, pbxId);
        var state = store.<State>ask(Get::new, ASK_TIMEOUT)
                .toCompletableFuture()
                .get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        if (!state.overrides().isEmpty())
            LoggerFactory.getLogger(OverflowPolicyStore.class)
                    .info(
                            "Overflow policies changed through the API and kept: {}",
                            state.overrides().keySet());
        return state.over(configured);
    }

    /** Where the API's changes to the policies of {@code pbxId} are stored before they take effect. */
    public static OverflowService.ChangeLog changeLog(ActorSystem<?> system, String pbxId) {
        var store = ClusterSharding.get(system).entityRefFor(ENTITY_KEY, pbxId);
        return new OverflowService.ChangeLog() {
            public CompletionStage<?> put(OverflowPolicy p) {
                return store.<State>ask(r -> new Put(p.spec(), Instant.now(), r), ASK_TIMEOUT);
            }

            public CompletionStage<?> remove(String queue) {
                return store.<State>ask(r -> new Remove(queue, Instant.now(), r), ASK_TIMEOUT);
            }
        };
    }

    public static Behavior<Command> create(String pbxId) {
        return new OverflowPolicyStore(pbxId);
    }

    private OverflowPolicyStore(String pbxId) {
        super(PersistenceId.of(ENTITY_KEY.name(), pbxId));
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Put.class, this::onPut)
                .onCommand(Remove.class, this::onRemove)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onPut(State state, Put cmd) {
        if (cmd.policy().equals(state.overrides().get(cmd.policy().queue())))
            return Effect().reply(cmd.replyTo(), state);
        return Effect().persist(new PolicyPut(cmd.policy(), cmd.at())).thenReply(cmd.replyTo(), s -> s);
    }

    private ReplyEffect<Event, State> onRemove(State state, Remove cmd) {
        if (state.overrides().containsKey(cmd.queue()) && state.overrides().get(cmd.queue()) == null)
            return Effect().reply(cmd.replyTo(), state);
        return Effect().persist(new PolicyRemoved(cmd.queue(), cmd.at())).thenReply(cmd.replyTo(), s -> s);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
