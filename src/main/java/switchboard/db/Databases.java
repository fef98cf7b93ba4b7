package switchboard.db;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Creating a PostgreSQL database for the benchmark and tests (CREATE DATABASE cannot run in a transaction). */
public final class Databases {
    private Databases() {}

    /** Creates {@code name} on the server of {@code adminUrl} if it does not exist. */
    public static void createPostgresIfMissing(String adminUrl, String user, String password, String name)
            throws SQLException {
        if (!name.matches("[a-z0-9_]{1,60}"))
            throw new IllegalArgumentException("database name must be [a-z0-9_]: " + name);
        try (var c = DriverManager.getConnection(adminUrl, user, password)) {
            try (var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                if (ps.executeQuery().next()) return;
            }
            try (var st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
        }
    }

    public static void dropPostgres(String adminUrl, String user, String password, String name) throws SQLException {
        if (!name.matches("[a-z0-9_]{1,60}"))
            throw new IllegalArgumentException("database name must be [a-z0-9_]: " + name);
        try (var c = DriverManager.getConnection(adminUrl, user, password);
                var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** Refreshes planner statistics of the journal tables, as autovacuum does on a database in service. */
    public static void analyzeJournal(String url, String user, String password) throws SQLException {
        try (var c = DriverManager.getConnection(url, user, password);
                var st = c.createStatement()) {
            st.execute("ANALYZE event_journal");
            st.execute("ANALYZE event_tag");
        }
    }

    /** The database name in a {@code jdbc:postgresql://host:port/name?…} URL, and the URL of its server's postgres db. */
    public record PostgresUrl(String serverUrl, String database) {
        public static PostgresUrl parse(String url) {
            var m = java.util.regex.Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?")
                    .matcher(url);
            if (!m.matches())
                throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + url);
            return new PostgresUrl(m.group(1) + "postgres", m.group(2));
        }
    }
}
