package switchboard.readside;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import switchboard.call.CallEntity;
import switchboard.call.CallOutcomeHandler;
import switchboard.lead.LeadEntity;

/**
 * Starts the projections, one instance per tag, each exactly once in the cluster (sharded daemon processes):
 * <ul>
 *   <li>{@code calls-read-model}: call events → {@code sb_calls}, {@code sb_call_events} (exactly once)</li>
 *   <li>{@code call-outcomes}: call outcomes → their lead entity (at least once; the lead de-duplicates)</li>
 *   <li>{@code leads-read-model}: lead events → {@code sb_leads} (exactly once)</li>
 * </ul>
 */
public final class ReadSide {
  private ReadSide() {}

  public static void init(ActorSystem<?> system, Database db, ObjectMapper json, Duration askTimeout) throws Exception {
    JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(db), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
    var sharding = ClusterSharding.get(system);
    var settings = ShardedDaemonProcessSettings.create(system);

    daemon(system, "calls-read-model", CallEntity.TAGS, tag -> JdbcProjection.groupedWithin(
            ProjectionId.of("calls-read-model", tag), ReadSide.<CallEntity.Event>eventsByTag(system, tag), () -> new PooledJdbcSession(db), () -> new CallReadModel(json), system)
        .withGroup(200, Duration.ofMillis(50))
        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2), settings);

    daemon(system, "call-outcomes", CallEntity.TAGS, tag -> JdbcProjection.groupedWithinAsync(
            ProjectionId.of("call-outcomes", tag), ReadSide.<CallEntity.Event>eventsByTag(system, tag), () -> new PooledJdbcSession(db),
            () -> new CallOutcomeHandler(sharding, askTimeout), system)
        .withGroup(100, Duration.ofMillis(20))
        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2), settings);

    daemon(system, "leads-read-model", LeadEntity.TAGS, tag -> JdbcProjection.groupedWithin(
            ProjectionId.of("leads-read-model", tag), ReadSide.<LeadEntity.Event>eventsByTag(system, tag), () -> new PooledJdbcSession(db), LeadReadModel::new, system)
        .withGroup(200, Duration.ofMillis(50))
        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2), settings);
  }

  private interface ProjectionFactory {
    org.apache.pekko.projection.Projection<?> create(String tag);
  }

  private static void daemon(ActorSystem<?> system, String name, List<String> tags, ProjectionFactory factory, ShardedDaemonProcessSettings settings) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, name, tags.size(),
        i -> ProjectionBehavior.create(factory.create(tags.get(i))), settings, Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static <E> SourceProvider<Offset, EventEnvelope<E>> eventsByTag(ActorSystem<?> system, String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }
}
