package switchboard.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Flyway migrations: a fresh database and one of release 0.1.0 (before Flyway; {@code release-0.1.0.sql.gz})
 * end with the same schema and the same applied versions; version 1 is exactly what release 0.1.0 had; nodes
 * migrating at once do not trip over each other; the projection library finds its tables already made.
 */
class SchemaMigrationTest {
    static final String RELEASE_DUMP = "db/release-0.1.0.sql.gz";
    /** The last migration of version 1 (release 0.1.0's schema); later schema changes are version 2 on. */
    static final String LAST_OF_VERSION_1 = "1.3";

    @Test
    @Tag("postgres")
    void freshAndUpgradedPostgresEndWithTheSameSchema() throws Exception {
        try (var fresh = new ScratchPostgres("sb_mig_fresh");
                var upgraded = new ScratchPostgres("sb_mig_upgr")) {
            upgraded.restore(RELEASE_DUMP);
            List<String> release = schemaOf(upgraded);
            assertTrue(
                    release.stream().anyMatch(s -> s.startsWith("column sb_leads.callback_requested_at")),
                    "the dump has the release's tables");

            // Version 1 is the release's schema exactly: applied over a release database it adds nothing but the
            // history. (Migrated to version 1 only; the later versions are what came after the release.)
            Flyway.configure(Schema.class.getClassLoader())
                    .configuration(Schema.flyway(upgraded.settings()).getConfiguration())
                    .target(LAST_OF_VERSION_1)
                    .load()
                    .migrate();
            var afterVersion1 = new ArrayList<>(schemaOf(upgraded));
            afterVersion1.removeIf(s -> s.contains("flyway_schema_history"));
            assertEquals(release, afterVersion1);

            Schema.migrate(fresh.settings());
            Schema.migrate(upgraded.settings());

            assertEquals(schemaOf(fresh), schemaOf(upgraded));
            assertTrue(
                    schemaOf(upgraded).stream().anyMatch(s -> s.startsWith("column sb_leads.urgency ")),
                    "version 2: the lead's qualification on the read model");
            var versions = migrationVersions();
            assertEquals(versions, appliedVersions(fresh.connect(), false));
            assertEquals(versions, appliedVersions(upgraded.connect(), false));
            assertEquals(
                    List.of("0"),
                    appliedVersions(upgraded.connect(), true),
                    "the release database is baselined at 0, below version 1");
            assertEquals(List.of(), appliedVersions(fresh.connect(), true));

            // Starting again changes nothing.
            var before = schemaOf(upgraded);
            Schema.migrate(upgraded.settings());
            assertEquals(before, schemaOf(upgraded));
            assertEquals(versions, appliedVersions(upgraded.connect(), false));
        }
    }

    @Test
    @Tag("postgres")
    void nodesMigratingAtOnceMigrateOnce() throws Exception {
        try (var fresh = new ScratchPostgres("sb_mig_race_fresh");
                var upgraded = new ScratchPostgres("sb_mig_race_upgr")) {
            upgraded.restore(RELEASE_DUMP);
            var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Schema.class);
            var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
            log.start();
            logger.addAppender(log);
            var pool = Executors.newFixedThreadPool(8);
            try {
                var tasks = new ArrayList<Callable<Void>>();
                for (int i = 0; i < 4; i++) {
                    tasks.add(() -> {
                        Schema.migrate(fresh.settings());
                        return null;
                    });
                    tasks.add(() -> {
                        Schema.migrate(upgraded.settings());
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(tasks, 2, TimeUnit.MINUTES))
                    f.get(); // rethrows any node's failure
            } finally {
                pool.shutdownNow();
                logger.detachAppender(log);
            }
            // One node per database migrated; the other three found it done.
            var messages = log.list.stream().map(e -> e.getFormattedMessage()).toList();
            assertEquals(
                    2,
                    messages.stream()
                            .filter(m -> m.startsWith("Schema migrated"))
                            .count(),
                    messages.toString());
            assertEquals(
                    6,
                    messages.stream()
                            .filter(m -> m.startsWith("Schema up to date"))
                            .count(),
                    messages.toString());
            var versions = migrationVersions();
            assertEquals(versions, appliedVersions(fresh.connect(), false));
            assertEquals(versions, appliedVersions(upgraded.connect(), false));
            assertEquals(List.of("0"), appliedVersions(upgraded.connect(), true));
            assertEquals(schemaOf(fresh), schemaOf(upgraded));
        }
    }

    @Test
    void h2MigratesAndTheProjectionLibraryFindsItsTables() throws Exception {
        var db = h2("sb_mig");
        Schema.migrate(db);
        Schema.migrate(db);
        var schema = h2SchemaOf(db);
        for (String table : List.of(
                "event_journal",
                "event_tag",
                "snapshot",
                "sb_calls",
                "sb_call_events",
                "sb_leads",
                "pekko_projection_offset_store",
                "pekko_projection_management",
                "flyway_schema_history")) {
            assertTrue(schema.stream().anyMatch(s -> s.startsWith("column " + table + ".")), table + " in " + schema);
        }
        try (var c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertEquals(migrationVersions(), appliedVersions(c, false));
        }
        // The library at start on a migrated database adds nothing; on an empty one it makes exactly what V1.3 made.
        createProjectionTables(db, "h2-dialect");
        assertEquals(schema, h2SchemaOf(db));
        var libraryOnly = h2("sb_lib");
        createProjectionTables(libraryOnly, "h2-dialect");
        assertEquals(projectionPart(schema), projectionPart(h2SchemaOf(libraryOnly)));
    }

    @Test
    @Tag("postgres")
    void postgresProjectionLibraryFindsItsTables() throws Exception {
        try (var pg = new ScratchPostgres("sb_mig_proj");
                var libraryOnly = new ScratchPostgres("sb_mig_lib")) {
            Schema.migrate(pg.settings());
            var schema = schemaOf(pg);
            createProjectionTables(pg.settings(), "postgres-dialect");
            assertEquals(schema, schemaOf(pg));
            createProjectionTables(libraryOnly.settings(), "postgres-dialect");
            assertEquals(projectionPart(schema), projectionPart(schemaOf(libraryOnly)));
        }
    }

    private static DbSettings h2(String name) {
        return new DbSettings(
                "jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false", "sa", "", 4);
    }

    private static List<String> projectionPart(List<String> schema) {
        var out = schema.stream().filter(s -> s.contains("pekko_projection")).toList();
        assertFalse(out.isEmpty());
        return out;
    }

    /** What Pekko Projection JDBC's createTablesIfNotExists does (release 0.1.0 called it at every start). */
    private static void createProjectionTables(DbSettings db, String dialect) throws Exception {
        var config = ConfigFactory.parseString(
                        "pekko.projection.jdbc.dialect = " + dialect + "\n"
                                + "pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 2\npekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load());
        var system = ActorSystem.create(Behaviors.empty(), "schema-test", config);
        try (var pool = new Database(db, "schema-test")) {
            JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(pool), system)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Every versioned migration on the class path, in order (what a fully migrated database has applied). */
    static List<String> migrationVersions() {
        var out = new ArrayList<String>();
        for (var m : Schema.flyway(new DbSettings("jdbc:h2:mem:sb_list_" + System.nanoTime(), "sa", "", 2))
                .info()
                .all()) out.add(m.getVersion().getVersion());
        assertFalse(out.isEmpty());
        return out;
    }

    /** Successful versions in the history table: migrations, or ({@code baseline}) the baseline marker. */
    static List<String> appliedVersions(Connection connection, boolean baseline) throws Exception {
        try (var c = connection;
                var st = c.createStatement()) {
            var rs = st.executeQuery(
                    "SELECT \"version\", \"type\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
            var out = new ArrayList<String>();
            while (rs.next()) {
                assertTrue(rs.getBoolean(3), "failed migration " + rs.getString(1));
                if (rs.getString(2).equals("BASELINE") == baseline) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Tables, columns (type, length, null, default), indexes, constraints and table options of the public schema. */
    static List<String> schemaOf(ScratchPostgres db) throws Exception {
        var out = new TreeSet<String>();
        try (var c = db.connect();
                var st = c.createStatement()) {
            var rs = st.executeQuery(
                    "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default "
                            + "FROM information_schema.columns WHERE table_schema = 'public'");
            while (rs.next()) {
                out.add("column " + rs.getString(1) + "." + rs.getString(2) + " #" + rs.getInt(3) + " "
                        + rs.getString(4) + "(" + rs.getString(5) + ") null=" + rs.getString(6) + " default="
                        + rs.getString(7));
            }
            rs = st.executeQuery("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'");
            while (rs.next()) out.add("index " + rs.getString(1) + ": " + rs.getString(2));
            rs = st.executeQuery(
                    "SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_schema = 'public' "
                            + "AND constraint_type <> 'CHECK'"); // NOT NULL checks have generated names; nullability is
            // compared with the columns
            while (rs.next()) out.add("constraint " + rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3));
            rs = st.executeQuery(
                    "SELECT relname, reloptions::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL");
            while (rs.next()) out.add("options " + rs.getString(1) + " " + rs.getString(2));
        }
        return new ArrayList<>(out);
    }

    private static List<String> h2SchemaOf(DbSettings db) throws Exception {
        var out = new TreeSet<String>();
        try (var c = DriverManager.getConnection(db.url(), db.user(), db.password());
                var st = c.createStatement()) {
            var rs = st.executeQuery(
                    "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, COLUMN_DEFAULT "
                            + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC'");
            while (rs.next()) {
                out.add("column " + rs.getString(1) + "." + rs.getString(2) + " #" + rs.getInt(3) + " "
                        + rs.getString(4) + "(" + rs.getString(5) + ") null=" + rs.getString(6) + " default="
                        + rs.getString(7));
            }
            rs = st.executeQuery(
                    "SELECT TABLE_NAME, INDEX_NAME, INDEX_TYPE_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'PUBLIC'");
            while (rs.next())
                out.add("index " + rs.getString(1) + "."
                        + rs.getString(2).replaceAll("^PRIMARY_KEY_[0-9A-F]+$", "PRIMARY_KEY_*") + " "
                        + rs.getString(3));
        }
        return new ArrayList<>(out);
    }
}
