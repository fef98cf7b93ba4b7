package switchboard.db;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * A scratch PostgreSQL database with a unique name for one test (dropped by {@link #close}), and restoring a plain
 * {@code pg_dump} into it over JDBC (statements and {@code COPY … FROM stdin} blocks), so no {@code psql} is needed.
 * Credentials as the other PostgreSQL tests: {@code SWITCHBOARD_TEST_PG_ADMIN_URL}, {@code _USER}, {@code _PASSWORD}.
 */
final class ScratchPostgres implements AutoCloseable {
    static final String ADMIN_URL =
            System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_USER", "postgres");
    static final String PASSWORD = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_PASSWORD", "");

    final String name;
    final String url;

    ScratchPostgres(String prefix) throws Exception {
        this.name = prefix + "_" + Long.toString(System.nanoTime(), 36);
        Databases.createPostgresIfMissing(ADMIN_URL, USER, PASSWORD, name);
        this.url = ADMIN_URL.replaceFirst("/postgres$", "/" + name);
    }

    DbSettings settings() {
        return new DbSettings(url, USER, PASSWORD, 4);
    }

    Connection connect() throws Exception {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    /** Runs the gzipped plain-format dump {@code resource} (from the test class path) into this database. */
    void restore(String resource) throws Exception {
        var in = ScratchPostgres.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("missing test resource " + resource);
        try (var c = connect();
                var r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            var statement = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (statement.isEmpty() && (line.isBlank() || line.startsWith("--") || line.startsWith("\\")))
                    continue; // psql meta-commands (\restrict)
                if (statement.isEmpty() && line.startsWith("COPY ") && line.endsWith("FROM stdin;")) {
                    var data = new StringBuilder();
                    String row;
                    while (!(row = r.readLine()).equals("\\.")) data.append(row).append('\n');
                    c.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn(line.substring(0, line.length() - 1), new StringReader(data.toString()));
                    continue;
                }
                statement.append(line).append('\n');
                if (line.endsWith(";")) {
                    try (var st = c.createStatement()) {
                        st.execute(statement.toString());
                    }
                    statement.setLength(0);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        Databases.dropPostgres(ADMIN_URL, USER, PASSWORD, name);
    }
}
