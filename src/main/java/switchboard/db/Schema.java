package switchboard.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database to the current schema at start-up with Flyway: versioned migrations under
 * {@code db/migration/common} plus {@code db/migration/postgres} or {@code db/migration/h2} (where the DDL differs),
 * and Flyway's history table {@code flyway_schema_history}.
 *
 * <p><b>Databases from before Flyway</b> (release 0.1.0 applied its DDL by hand on every start and kept no history):
 * Flyway finds tables but no history, records a baseline at version <b>0</b> and then applies version 1 over them.
 * Version 1 is exactly the DDL release 0.1.0 applied, and as idempotent as it was ({@code IF NOT EXISTS}), so it
 * changes nothing on a database of that release, completes one of an older build (the {@code ADD COLUMN IF NOT
 * EXISTS} steps), and an upgraded database ends with the same tables, columns and history (V1.x) as a fresh one.
 * A baseline at version 1 instead would have trusted that every existing database was already complete.
 *
 * <p><b>Several nodes starting at once</b> on one PostgreSQL: Flyway locks each migration (an advisory lock), but
 * not the step before it has a history table — deciding to baseline and creating the table. So the whole migrate runs
 * under a session-level PostgreSQL advisory lock of our own ({@link #LOCK_KEY}) on a separate connection: the first
 * node migrates, the others wait, then find everything applied and go on. The lock goes with the connection, so a
 * node that dies mid-migration does not leave it held. H2 is embedded and single-node; nodes in one JVM (tests)
 * serialize on a plain monitor.
 */
public final class Schema {
    private static final Logger log = LoggerFactory.getLogger(Schema.class);
    /** {@code pg_advisory_lock} key of the migration: the ASCII bytes of "swbdflyw". */
    static final long LOCK_KEY = 0x7377_6264_666c_7977L;

    private static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    private static final Object H2_LOCK = new Object();

    private Schema() {}

    /** Migrates the database of {@code db} to the newest version; {@link SchemaException} if it cannot. */
    public static void migrate(DbSettings db) {
        try {
            if (db.isPostgres()) {
                try (var lock = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                    awaitLock(lock);
                    try {
                        run(db);
                    } finally {
                        try (var st = lock.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                            st.setLong(1, LOCK_KEY);
                            st.execute();
                        }
                    }
                }
            } else {
                synchronized (H2_LOCK) {
                    run(db);
                }
            }
        } catch (SQLException e) {
            throw new SchemaException("cannot connect to " + redact(db.url()) + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static void run(DbSettings db) {
        try {
            var result = flyway(db).migrate();
            if (result.migrationsExecuted == 0)
                log.info(
                        "Schema up to date at version {}",
                        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion);
            else
                log.info(
                        "Schema migrated from version {} to {} ({} migrations)",
                        result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                        result.targetSchemaVersion,
                        result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new SchemaException("migration failed on " + redact(db.url()) + ": " + firstLine(e.getMessage()), e);
        }
    }

    static Flyway flyway(DbSettings db) {
        return Flyway.configure(Schema.class.getClassLoader())
                .dataSource(db.url(), db.user(), db.password())
                .locations(
                        "classpath:db/migration/common",
                        "classpath:db/migration/" + (db.isPostgres() ? "postgres" : "h2"))
                .failOnMissingLocations(true)
                .baselineOnMigrate(true) // only when tables exist without a history: a database of release 0.1.0
                .baselineVersion("0")
                .baselineDescription("release 0.1.0 database (before Flyway)")
                .cleanDisabled(true)
                .load();
    }

    /** Waits for the migration lock, telling the log if another node holds it. */
    private static void awaitLock(Connection c) throws SQLException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try (var st = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, LOCK_KEY);
                var rs = st.executeQuery();
                rs.next();
                if (rs.getBoolean(1)) return;
            }
            if (System.nanoTime() > deadline)
                throw new SchemaException(
                        "another node has held the schema migration lock for " + LOCK_WAIT.toMinutes() + " minutes",
                        null);
            if (!told) {
                log.info("Another node is migrating the schema; waiting for it");
                told = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaException("interrupted while waiting for the schema migration lock", e);
            }
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** The URL without credentials that a user may have put in it. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password|user)=[^&;]*", "$1=***");
    }

    public static final class SchemaException extends RuntimeException {
        SchemaException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
