package switchboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;

/**
 * Builds the Pekko configuration from {@link Settings}: cluster of one by default, sharding, Jackson CBOR, the
 * JDBC journal / snapshot store / read journal on one shared pool, and the projection dialect.
 */
final class PekkoConfig {
    private PekkoConfig() {}

    static Config build(Settings s) {
        var db = s.db();
        var values = new HashMap<String, Object>();
        values.put("pekko.remote.artery.canonical.hostname", s.cluster().host());
        values.put("pekko.remote.artery.canonical.port", s.cluster().port());
        values.put("pekko.cluster.seed-nodes", s.cluster().seedNodes());
        values.put(
                "pekko-persistence-jdbc.shared-databases.default.profile",
                db.isPostgres() ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$");
        values.put("pekko-persistence-jdbc.shared-databases.default.db.url", db.url());
        values.put("pekko-persistence-jdbc.shared-databases.default.db.user", db.user());
        values.put("pekko-persistence-jdbc.shared-databases.default.db.password", db.password());
        values.put(
                "pekko-persistence-jdbc.shared-databases.default.db.driver",
                db.isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver");
        values.put("pekko-persistence-jdbc.shared-databases.default.db.numThreads", db.poolSize());
        values.put("pekko-persistence-jdbc.shared-databases.default.db.maxConnections", db.poolSize());
        values.put("pekko-persistence-jdbc.shared-databases.default.db.minConnections", 2);
        values.put(
                "jdbc-read-journal.refresh-interval",
                s.readSide().refreshInterval().toMillis() + "ms");
        // eventsByTag only hands out events up to the highest gap-free ordering, which a sequence actor re-reads every
        // query-delay (1 s by default): with two projections between a miss and its callback (call outcome -> lead ->
        // leads read model) that alone cost 1-2 s. Polled as often as the journal; a gap is still waited for 10 polls.
        values.put(
                "jdbc-read-journal.journal-sequence-retrieval.query-delay",
                s.readSide().refreshInterval().toMillis() + "ms");
        values.put("pekko.projection.jdbc.dialect", db.isPostgres() ? "postgres-dialect" : "h2-dialect");
        values.put(
                "pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", db.poolSize());
        values.put("switchboard.blocking-dispatcher.thread-pool-executor.fixed-pool-size", Math.max(2, db.poolSize()));
        return ConfigFactory.parseMap(values, "switchboard settings")
                .withFallback(ConfigFactory.parseResources("switchboard-pekko.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
