package switchboard.db;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import switchboard.common.EventProjections;

/**
 * Projections over the journal's tags with their offsets in the database ({@code pekko_projection_offset_store}),
 * on the read side's pool. One instance per tag, each run exactly once in the cluster as a sharded daemon process;
 * a failing projection restarts with backoff from its last committed offset.
 */
public final class JdbcProjections implements EventProjections {
    private final ActorSystem<?> system;
    private final Database db;
    private final ShardedDaemonProcessSettings daemons;

    /** The offset tables come with the schema migrations (V1.3), not from the library at start. */
    public JdbcProjections(ActorSystem<?> system, Database db) {
        this.system = system;
        this.db = db;
        this.daemons = ShardedDaemonProcessSettings.create(system);
    }

    @Override
    public <E> void atLeastOnce(
            String name,
            List<String> tags,
            Supplier<Handler<List<EventEnvelope<E>>>> handler,
            int groupSize,
            Duration groupWithin) {
        daemon(
                name,
                tags,
                tag -> JdbcProjection.groupedWithinAsync(
                                ProjectionId.of(name, tag),
                                this.<E>eventsByTag(tag),
                                () -> new PooledJdbcSession(db),
                                handler::get,
                                system)
                        .withGroup(groupSize, groupWithin)
                        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2));
    }

    /** Exactly once: the handler's writes and the offset commit in one transaction. */
    public <E> void exactlyOnce(
            String name,
            List<String> tags,
            Supplier<JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession>> handler,
            int groupSize,
            Duration groupWithin) {
        daemon(
                name,
                tags,
                tag -> JdbcProjection.groupedWithin(
                                ProjectionId.of(name, tag),
                                this.<E>eventsByTag(tag),
                                () -> new PooledJdbcSession(db),
                                handler::get,
                                system)
                        .withGroup(groupSize, groupWithin)
                        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2));
    }

    private void daemon(String name, List<String> tags, Function<String, Projection<?>> projectionOf) {
        ShardedDaemonProcess.get(system)
                .init(
                        ProjectionBehavior.Command.class,
                        name,
                        tags.size(),
                        i -> ProjectionBehavior.create(projectionOf.apply(tags.get(i))),
                        daemons,
                        Optional.of(ProjectionBehavior.stopMessage()));
    }

    private <E> SourceProvider<Offset, EventEnvelope<E>> eventsByTag(String tag) {
        return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    }
}
