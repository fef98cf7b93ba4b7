package switchboard.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import switchboard.callback.PendingRecovery;
import switchboard.common.Json;
import switchboard.db.Database;
import switchboard.db.Databases;
import switchboard.db.DbSettings;
import switchboard.db.Schema;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadIdentity;
import switchboard.lead.LeadSource;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.Channel;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;

/**
 * A lead's qualification on the leads' read model (schema version 2), on H2 and on PostgreSQL: {@code Qualified}
 * fills the columns, a later one replaces them, the API's lead view shows them, and the governor's feed of open
 * recoveries marks the lead an emergency from the moment its urgency says so — a recovery already pending is re-ranked
 * at the governor's next look at the feed.
 */
class LeadQualificationReadModelTest {
    private static final Instant T0 = Instant.parse("2026-12-05T14:00:00Z");
    private static final String LEAD = "acme:+19195550700";
    private static final String OTHER = "acme:+19195550701";

    @Test
    void qualifiedFillsTheColumnsOnH2() throws Exception {
        qualifiedFillsTheColumns(
                new DbSettings("jdbc:h2:mem:sb_rm_q_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2));
    }

    @Test
    @Tag("postgres")
    void qualifiedFillsTheColumnsOnPostgres() throws Exception {
        String name = "sb_rm_q_" + Long.toString(System.nanoTime(), 36);
        Databases.createPostgresIfMissing(
                PostgresRecoveryTest.ADMIN_URL, PostgresRecoveryTest.USER, PostgresRecoveryTest.PASSWORD, name);
        try {
            qualifiedFillsTheColumns(new DbSettings(
                    PostgresRecoveryTest.ADMIN_URL.replaceFirst("/postgres$", "/" + name),
                    PostgresRecoveryTest.USER,
                    PostgresRecoveryTest.PASSWORD,
                    2));
        } finally {
            Databases.dropPostgres(
                    PostgresRecoveryTest.ADMIN_URL, PostgresRecoveryTest.USER, PostgresRecoveryTest.PASSWORD, name);
        }
    }

    private static void qualifiedFillsTheColumns(DbSettings db) throws Exception {
        Schema.migrate(db);
        try (var pool = new Database(db, "read-model-test");
                var c = pool.connection()) {
            c.setAutoCommit(true);
            var model = new LeadReadModel();
            for (var id : new String[] {LEAD, OTHER}) {
                String number = id.substring(id.indexOf(':') + 1);
                model.apply(
                        c,
                        new LeadEntity.Identified(
                                id, new LeadIdentity(id, "acme", number, number, null), LeadSource.SEO, T0));
                model.apply(
                        c,
                        new LeadEntity.RecoveryOpened(
                                id, id + "#1", "main:" + number, "ABANDONED", LeadSource.SEO, T0, false));
            }
            var store = new ReadStore(pool, Runnable::run, Json.mapper());
            var feed = new OpenRecoveriesQuery(store);
            assertEquals(Map.of(LEAD, false, OTHER, false), emergencies(feed), "nobody qualified yet");
            assertNull(store.lead(LEAD)
                    .toCompletableFuture()
                    .get()
                    .orElseThrow()
                    .lead()
                    .qualification());

            // A CSR's answers: every column filled.
            var soon = new Qualification(
                    "repair", "27601", true, Urgency.SOON, CustomerStatus.MEMBER, Channel.CSR, T0.plusSeconds(60));
            model.apply(c, new LeadEntity.Qualified(LEAD, soon, "csr"));
            assertEquals("repair|27601|true|SOON|MEMBER|CSR|" + T0.plusSeconds(60), columns(c, LEAD));
            assertEquals(Map.of(LEAD, false, OTHER, false), emergencies(feed), "soon is no emergency");

            // Later the caller says it is an emergency: the whole qualification is replaced, and the open recovery is
            // an emergency from the next look at the feed on.
            model.apply(
                    c,
                    new LeadEntity.Qualified(
                            LEAD,
                            soon.merge(new Qualification(
                                    null, null, null, Urgency.EMERGENCY, null, Channel.IVR, T0.plusSeconds(90))),
                            "ivr"));
            assertEquals("repair|27601|true|EMERGENCY|MEMBER|IVR|" + T0.plusSeconds(90), columns(c, LEAD));
            assertEquals(Map.of(LEAD, true, OTHER, false), emergencies(feed));
            var shown = store.lead(LEAD)
                    .toCompletableFuture()
                    .get()
                    .orElseThrow()
                    .lead()
                    .qualification();
            assertEquals(
                    new Views.QualificationView(
                            "repair", "27601", true, "EMERGENCY", "MEMBER", "IVR", T0.plusSeconds(90)),
                    shown);

            // Answers left out stay empty (not false, not a default).
            model.apply(
                    c,
                    new LeadEntity.Qualified(
                            OTHER,
                            Qualification.empty(Channel.WEB, T0.plusSeconds(120))
                                    .withUrgency(Urgency.QUOTE),
                            "web"));
            assertEquals("null|null|null|QUOTE|null|WEB|" + T0.plusSeconds(120), columns(c, OTHER));
            assertNull(store.lead(OTHER)
                    .toCompletableFuture()
                    .get()
                    .orElseThrow()
                    .lead()
                    .qualification()
                    .inServiceArea());
            assertFalse(emergencies(feed).get(OTHER));
            assertTrue(emergencies(feed).get(LEAD));
        }
    }

    private static Map<String, Boolean> emergencies(OpenRecoveriesQuery feed) throws Exception {
        return feed.of("acme").toCompletableFuture().get().stream()
                .collect(Collectors.toMap(PendingRecovery::leadId, PendingRecovery::emergency));
    }

    private static String columns(Connection c, String id) throws Exception {
        try (var ps = c.prepareStatement(
                "SELECT service, zip, in_service_area, urgency, customer_status, qualified_channel, qualified_at FROM sb_leads WHERE id = ?")) {
            ps.setString(1, id);
            var rs = ps.executeQuery();
            assertTrue(rs.next(), id);
            var at = rs.getObject(7, OffsetDateTime.class);
            boolean inArea = rs.getBoolean(3);
            String area = rs.wasNull() ? "null" : String.valueOf(inArea);
            return rs.getString(1) + "|" + rs.getString(2) + "|" + area + "|" + rs.getString(4) + "|" + rs.getString(5)
                    + "|" + rs.getString(6) + "|" + (at == null ? null : at.toInstant());
        }
    }
}
