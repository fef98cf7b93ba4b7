package switchboard.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.db.Databases;

/**
 * {@code bench-entities} at a tiny size on the real PostgreSQL: every lead is alive when measured, every one comes
 * back after the restart with its history, the sample is unchanged, and the figures are printed. Not timing-based.
 */
@Tag("postgres")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntityBenchmarkTest {
    private static final String ADMIN_URL =
            System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_PASSWORD", "");
    private final String dbName = "sb_ent_bench_it_" + Long.toString(System.nanoTime(), 36);

    @AfterAll
    void dropDatabase() throws Exception {
        Databases.dropPostgres(ADMIN_URL, USER, PASSWORD, dbName);
    }

    @Test
    void threeHundredLeadsAreAliveMeasuredAndAllRecoveredAfterARestart() throws Exception {
        String url = ADMIN_URL.replaceFirst("/postgres$", "/" + dbName) + "?reWriteBatchedInserts=true";
        var opts = EntityBenchmark.Options.parse(List.of(
                "--entities",
                "300",
                "--parallelism",
                "64",
                "--sample",
                "50",
                "--db-url",
                url,
                "--db-user",
                USER,
                "--db-password",
                PASSWORD));
        var text = new ByteArrayOutputStream();
        var report = EntityBenchmark.measure(opts, new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);

        assertEquals(0, report.feedFailures(), printed);
        assertEquals(300, report.liveLeads(), "the shard census counts every fed lead alive\n" + printed);
        assertEquals(0, report.liveCalls(), "this feed makes no call entities");
        assertTrue(report.bytesPerLiveLead() > 0, printed);
        assertFalse(report.topClasses().isEmpty(), "a class histogram diff was taken");
        assertEquals(300, report.recovered(), "every lead answered with its fed history after the restart\n" + printed);
        assertEquals(0, report.recoveryFailures());
        assertEquals(50, report.sampleChecked());
        assertEquals(0, report.sampleMismatches(), printed);
        assertTrue(report.liveLeadsAfterRestart() >= 300, "the recovered leads are alive on the new node");
        assertTrue(report.recoverySeconds() > 0);
        assertTrue(
                printed.contains("bytes per live lead") && printed.contains("JSON {\"benchmark\":\"bench-entities\""),
                printed);
    }
}
