package switchboard.pbx;

import java.util.HashMap;
import java.util.Map;
import switchboard.db.Databases;

/** The AMI benchmarks' node: a fresh PostgreSQL database on 127.0.0.1:5432 and free ports. */
final class BenchNodes {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private BenchNodes() {}

    /** Drops and recreates {@code db}; returns the environment of a node on it attached to AMI on 127.0.0.1:{@code amiPort}. */
    static Map<String, String> freshPostgresEnv(String db, int amiPort, String amiSecret) throws Exception {
        Databases.dropPostgres(ADMIN_URL, "postgres", "", db);
        Databases.createPostgresIfMissing(ADMIN_URL, "postgres", "", db);
        var env = new HashMap<String, String>();
        env.put("SWITCHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + db + "?reWriteBatchedInserts=true");
        env.put("SWITCHBOARD_DB_USER", "postgres");
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_CLUSTER_PORT", "0");
        env.put("SWITCHBOARD_API_TOKEN", "bench");
        env.put("SWITCHBOARD_AMI_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_AMI_PORT", Integer.toString(amiPort));
        env.put("SWITCHBOARD_AMI_SECRET", amiSecret);
        return env;
    }
}
