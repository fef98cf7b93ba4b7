package switchboard.db;

import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the journal tables fresh, whether or not autovacuum runs (it is off on
 * some installations, and a fresh database has none). Without them persistence-jdbc's eventsByTag query becomes a
 * hash join over the whole journal: every projection poll scans it, the database takes the CPU the node needs, and
 * detection latency goes from milliseconds to seconds. Autovacuum's own rule: ANALYZE a table once the rows changed
 * since its last analysis exceed 1,000 + 2 % of it. Blocking: run it on the blocking dispatcher.
 */
public final class JournalStatistics {
    private static final Logger log = LoggerFactory.getLogger(JournalStatistics.class);
    private static final List<String> TABLES = List.of("event_journal", "event_tag");

    private final Database db;
    private volatile boolean warned;

    public JournalStatistics(Database db) {
        this.db = db;
    }

    /** Analyzes each journal table whose statistics are stale; returns how many it analyzed. Never throws. */
    public int refresh() {
        if (!db.isPostgres()) return 0;
        int analyzed = 0;
        try (var c = db.connection();
                var st = c.createStatement()) {
            st.setQueryTimeout(30);
            for (String table : TABLES) {
                try (var rs = st.executeQuery(
                        "SELECT n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables WHERE relname = '" + table
                                + "'")) {
                    if (!rs.next()) continue;
                    long changed = rs.getLong(1), live = rs.getLong(2);
                    if (changed <= 1000 + live / 50) continue;
                }
                st.execute("ANALYZE " + table);
                analyzed++;
            }
        } catch (SQLException e) {
            if (!warned)
                log.warn("Could not refresh the journal's planner statistics (will retry): {}", e.getMessage());
            warned = true;
        }
        return analyzed;
    }
}
