package switchboard.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.call.CallStatus;
import switchboard.call.PbxSignal;
import switchboard.lead.LeadEntity;

/**
 * Issue 15: an existing PostgreSQL database created by the current release (0.1.0, before Flyway) is upgraded by the
 * new migrations at start-up, and its calls and leads are all there afterwards.
 *
 * <p>The database is {@code src/test/resources/db/release-0.1.0.sql.gz} (how it was made: the README beside it),
 * restored into a scratch database. A new node starts on it; then the Flyway history holds the baseline and every
 * version, every journal event of the dump is still stored, every call and lead recovers from it with its history,
 * the read side (through the API) shows each call and lead of the dump, and a new call persists and is shown.
 */
@Tag("postgres")
class ReleaseUpgradeTest {
    private static final Duration ASK = Duration.ofSeconds(30);
    /** What the dump holds (README): a wrong or truncated fixture fails here rather than passing on nothing. */
    private static final int RELEASE_CALLS = 67, RELEASE_LEADS = 48, RELEASE_EVENTS = 305;

    @Test
    void aReleaseDatabaseIsUpgradedAtStartAndKeepsEveryCallAndLead() throws Exception {
        try (var db = new ScratchPostgres("sb_release_upgrade")) {
            db.restore(SchemaMigrationTest.RELEASE_DUMP);
            var journalBefore = journal(db);
            var callsBefore = ids(db, "SELECT id FROM sb_calls");
            var leadsBefore = ids(db, "SELECT id FROM sb_leads");
            var endedBefore = rows(
                    db,
                    "SELECT id, status FROM sb_calls WHERE ended_at IS NOT NULL AND status IN ('ANSWERED', 'MISSED')");
            assertEquals(RELEASE_CALLS, callsBefore.size());
            assertEquals(RELEASE_LEADS, leadsBefore.size());
            assertEquals(RELEASE_EVENTS, journalBefore.size());
            assertTrue(
                    ids(
                                    db,
                                    "SELECT table_name FROM information_schema.tables WHERE table_name = 'flyway_schema_history'")
                            .isEmpty(),
                    "a release database has no Flyway history");

            var settings = TestNodes.settings(
                    db.url + "?reWriteBatchedInserts=true", ScratchPostgres.USER, ScratchPostgres.PASSWORD, null);
            try (Node node = Node.start(settings)) {
                // Migrated at start: the baseline below version 1, then every version.
                assertEquals(
                        SchemaMigrationTest.migrationVersions(),
                        SchemaMigrationTest.appliedVersions(db.connect(), false));
                assertEquals(List.of("0"), SchemaMigrationTest.appliedVersions(db.connect(), true));

                // Every event of the dump is still stored, unchanged in order and place.
                var journalAfter = journal(db);
                for (var e : journalBefore.entrySet())
                    assertEquals(e.getValue(), journalAfter.get(e.getKey()), "journal event " + e.getKey());

                // Every call recovers from the journal; the ended ones with the outcome the release had stored.
                var callEvents = new TreeMap<String, Integer>();
                journalBefore.keySet().stream()
                        .filter(k -> k.startsWith("Call|"))
                        .forEach(k -> callEvents.merge(k.substring(5, k.lastIndexOf('#')), 1, Integer::sum));
                assertEquals(callsBefore, new TreeSet<>(callEvents.keySet()));
                for (String id : callsBefore) {
                    var state =
                            node.signals().get(id, ASK).toCompletableFuture().get();
                    assertEquals(id, state.callId());
                    assertNotEquals(CallStatus.NEW, state.status(), id + " recovered from its events");
                    assertTrue(state.startedAt() != null, id);
                }
                for (var e : endedBefore.entrySet())
                    assertEquals(
                            e.getValue(),
                            node.signals()
                                    .get(e.getKey(), ASK)
                                    .toCompletableFuture()
                                    .get()
                                    .status()
                                    .name(),
                            e.getKey());

                // Every lead recovers, and the read side (which resumes from the release's offsets) agrees with it.
                var sharding = ClusterSharding.get(node.system());
                var json = new ObjectMapper();
                for (String id : leadsBefore) {
                    var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, id)
                            .<LeadEntity.State>ask(LeadEntity.Get::new, ASK)
                            .toCompletableFuture()
                            .get();
                    assertTrue(lead.known(), id);
                    int outcomes = lead.missedCalls() + lead.answeredCalls();
                    var shown = TestNodes.await(
                            Duration.ofSeconds(30),
                            () -> json.readTree(TestNodes.get(node.httpPort(), "/api/leads/" + id, TestNodes.TOKEN)
                                    .body()),
                            j -> j.at("/lead/missedCalls").asInt()
                                            + j.at("/lead/answeredCalls").asInt()
                                    == outcomes);
                    assertEquals(id, shown.at("/lead/id").asText());
                }
                var calls = json.readTree(TestNodes.get(node.httpPort(), "/api/calls?limit=1000", TestNodes.TOKEN)
                        .body());
                var shownCalls = new TreeSet<String>();
                calls.forEach(c -> shownCalls.add(c.get("id").asText()));
                assertEquals(callsBefore, shownCalls);

                // The node keeps working: a new missed call is stored and shown.
                String id = "1796600000.1";
                Instant t = Instant.now().minusSeconds(60);
                for (PbxSignal s : List.of(
                        new PbxSignal.CallStarted("main", id, t, "+19195550199", null, "+18005550100", null),
                        new PbxSignal.QueueJoined("main", id, t.plusSeconds(1), "service", 1),
                        new PbxSignal.HangupRequested("main", id, t.plusSeconds(40), 16),
                        new PbxSignal.Hangup("main", id, t.plusSeconds(41), 16))) {
                    node.signals().ask(s, ASK).toCompletableFuture().get();
                }
                assertEquals(
                        CallStatus.MISSED,
                        node.signals()
                                .get("main:" + id, ASK)
                                .toCompletableFuture()
                                .get()
                                .status());
                assertTrue(
                        journal(db).keySet().stream().anyMatch(k -> k.startsWith("Call|main:" + id + "#")),
                        "the new call's events are in the journal");
                TestNodes.await(
                        Duration.ofSeconds(30),
                        () -> TestNodes.get(node.httpPort(), "/api/calls/main:" + id, TestNodes.TOKEN)
                                .status(),
                        s -> s == 200);
                TestNodes.await(
                        Duration.ofSeconds(30),
                        () -> node.readStore().counts().toCompletableFuture().get(),
                        c -> c[0] == RELEASE_CALLS + 1 && c[2] == RELEASE_LEADS + 1);
            }
        }
    }

    /** Journal events keyed {@code persistence_id#sequence_number}, valued by their ordering, serializer and payload size. */
    private static Map<String, String> journal(ScratchPostgres db) throws Exception {
        var out = new TreeMap<String, String>();
        for (var r : rows(
                        db,
                        "SELECT persistence_id || '#' || sequence_number, ordering || '/' || event_ser_id || '/' || event_ser_manifest || '/' || md5(event_payload) FROM event_journal")
                .entrySet()) {
            out.put(r.getKey(), r.getValue());
        }
        return out;
    }

    private static TreeSet<String> ids(ScratchPostgres db, String sql) throws Exception {
        return new TreeSet<>(
                rows(db, sql.replaceFirst("SELECT (\\w+)", "SELECT $1, ''")).keySet());
    }

    private static Map<String, String> rows(ScratchPostgres db, String sql) throws Exception {
        var out = new TreeMap<String, String>();
        try (var c = db.connect();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }
}
