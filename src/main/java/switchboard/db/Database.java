package switchboard.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The read side's connection pool (projections and API queries). The journal has its own shared pool (Slick's).
 * Both are HikariCP 7.1.0, declared in the pom over the 4.0.3 Slick 3.5.1 asks for: every HikariCP method Slick
 * calls exists unchanged in 7.1.0, and the settings below mean what they did in 4.0.3; the one new default is a
 * keep-alive check of idle connections every 2 minutes.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final boolean postgres;

    public Database(DbSettings db, String poolName) {
        var config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(db.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1); // start even if the database is briefly down; readiness reports it
        config.setDriverClassName(db.isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver");
        this.dataSource = new HikariDataSource(config);
        this.postgres = db.isPostgres();
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** A cheap round trip for readiness. */
    public boolean ping() {
        try (var c = dataSource.getConnection();
                var st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
