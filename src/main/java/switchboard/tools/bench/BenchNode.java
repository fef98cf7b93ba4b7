package switchboard.tools.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import switchboard.db.Databases;

/** What every benchmark node needs: its environment (the given database, free ports, a token) and a scratch database. */
final class BenchNode {
    private BenchNode() {}

    /** The process environment with the benchmark's database, HTTP and cluster port 0, and an API token if none is set. */
    static Map<String, String> env(String dbUrl, String dbUser, String dbPassword) {
        var env = new HashMap<>(System.getenv());
        env.put("SWITCHBOARD_DB_URL", dbUrl);
        env.put("SWITCHBOARD_DB_USER", dbUser);
        env.put("SWITCHBOARD_DB_PASSWORD", dbPassword);
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_CLUSTER_PORT", "0");
        env.putIfAbsent("SWITCHBOARD_API_TOKEN", "bench");
        return env;
    }

    /**
     * A PostgreSQL database for the run, created if missing; dropped first when {@code dropFirst} accepts its name, so
     * the figures do not depend on earlier runs. Nothing to do for H2.
     */
    static void database(String dbUrl, String dbUser, String dbPassword, Predicate<String> dropFirst) throws Exception {
        if (!dbUrl.startsWith("jdbc:postgresql:")) return;
        var u = Databases.PostgresUrl.parse(dbUrl);
        if (dropFirst.test(u.database())) Databases.dropPostgres(u.serverUrl(), dbUser, dbPassword, u.database());
        Databases.createPostgresIfMissing(u.serverUrl(), dbUser, dbPassword, u.database());
    }
}
