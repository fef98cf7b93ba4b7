package switchboard.tools.bench;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** The entities sharding has running on this node right now, asked of the shard region (not assumed). */
final class LiveEntities {
    private LiveEntities() {}

    static Set<String> ids(ActorSystem<?> system, EntityTypeKey<?> key) throws Exception {
        ShardRegion.CurrentShardRegionState state =
                AskPattern
                        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                                ShardRegion.CurrentShardRegionState>
                                ask(
                                        ClusterSharding.get(system).shardState(),
                                        reply -> new GetShardRegionState(key, reply),
                                        Duration.ofSeconds(60),
                                        system.scheduler())
                        .toCompletableFuture()
                        .get();
        if (!state.getFailed().isEmpty())
            throw new IllegalStateException(
                    state.getFailed().size() + " shards of " + key.name() + " did not answer the census");
        var ids = new HashSet<String>();
        for (var shard : state.getShards()) ids.addAll(shard.getEntityIds());
        return ids;
    }

    static int count(ActorSystem<?> system, EntityTypeKey<?> key) throws Exception {
        return ids(system, key).size();
    }
}
