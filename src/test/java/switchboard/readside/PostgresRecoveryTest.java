package switchboard.readside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.call.CallEntity;
import switchboard.call.CallStatus;
import switchboard.call.PbxSignal;
import switchboard.db.Databases;
import switchboard.lead.LeadEntity;

/**
 * On the real PostgreSQL: a node stores 1,000 calls, stops; a new node on the same database recovers every call
 * and lead with identical state, and the read side shows them all.
 */
@Tag("postgres")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRecoveryTest {
    static final String ADMIN_URL =
            System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_USER", "postgres");
    static final String PASSWORD = System.getenv().getOrDefault("SWITCHBOARD_TEST_PG_PASSWORD", "");
    private static final Duration ASK = Duration.ofSeconds(30);
    private static final int CALLS = 1000;
    private static final Instant T0 = Instant.parse("2026-07-15T12:00:00Z");

    private final String dbName = "sb_it_" + Long.toString(System.nanoTime(), 36);
    private String dbUrl;

    @BeforeAll
    void createDatabase() throws Exception {
        Databases.createPostgresIfMissing(ADMIN_URL, USER, PASSWORD, dbName);
        dbUrl = ADMIN_URL.replaceFirst("/postgres$", "/" + dbName) + "?reWriteBatchedInserts=true";
    }

    @AfterAll
    void dropDatabase() throws Exception {
        Databases.dropPostgres(ADMIN_URL, USER, PASSWORD, dbName);
    }

    /** Call i: caller, and one of four outcomes. The first 40 calls come from one busy caller (lead snapshots). */
    private static String caller(int i) {
        int n = i < 40 ? 0 : 1 + i % 240;
        return String.format("+1984555%04d", n);
    }

    private static List<PbxSignal> script(int i) {
        String id = "17526000." + i;
        Instant t = T0.plusSeconds(i * 7L);
        var s = new ArrayList<PbxSignal>();
        s.add(new PbxSignal.CallStarted("main", id, t, caller(i), null, "+18005550100", i % 3 == 0 ? "LSA" : null));
        switch (i % 4) {
            case 0 -> { // abandoned in the queue
                s.add(new PbxSignal.QueueJoined("main", id, t.plusSeconds(1), "service", 1));
                s.add(new PbxSignal.HangupRequested("main", id, t.plusSeconds(40), 16));
            }
            case 1 -> { // queue timeout to voicemail
                s.add(new PbxSignal.QueueJoined("main", id, t.plusSeconds(1), "service", 1));
                s.add(new PbxSignal.QueueLeft("main", id, t.plusSeconds(31), "service", "TIMEOUT"));
                s.add(new PbxSignal.VoicemailEntered("main", id, t.plusSeconds(32), "600@default"));
            }
            case 2 -> { // answered
                s.add(new PbxSignal.QueueJoined("main", id, t.plusSeconds(1), "service", 1));
                s.add(new PbxSignal.AgentConnected("main", id, t.plusSeconds(9), "service", "PJSIP/201"));
            }
            default -> { // direct dial rings out
                s.add(new PbxSignal.AgentRinging("main", id, t.plusSeconds(1), null, "PJSIP/101"));
                s.add(new PbxSignal.DialEnded("main", id, t.plusSeconds(21), "PJSIP/101", "NOANSWER"));
            }
        }
        s.add(new PbxSignal.Hangup("main", id, t.plusSeconds(60), 16));
        return s;
    }

    private static CompletionStage<?> play(Node node, List<PbxSignal> signals) {
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (var s : signals) chain = chain.thenCompose(x -> node.signals().ask(s, ASK));
        return chain;
    }

    @Test
    void everyCallAndLeadRecoversIdenticallyAfterARestart() throws Exception {
        Settings settings = TestNodes.settings(dbUrl, USER, PASSWORD, null);
        Map<String, CallEntity.State> calls = new TreeMap<>();
        Map<String, LeadEntity.State> leads = new TreeMap<>();
        var leadIds = new java.util.TreeSet<String>();
        var expectedOutcomes = new HashMap<String, Integer>();

        try (Node first = Node.start(settings)) {
            // 1,000 calls, 100 at a time, each call's signals in order.
            for (int batch = 0; batch < CALLS; batch += 100) {
                var inFlight = new ArrayList<CompletableFuture<?>>();
                for (int i = batch; i < batch + 100; i++)
                    inFlight.add(play(first, script(i)).toCompletableFuture());
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                        .get();
            }
            for (int i = 0; i < CALLS; i++) {
                var state = first.signals()
                        .get("main:17526000." + i, ASK)
                        .toCompletableFuture()
                        .get();
                assertTrue(state.isEnded());
                assertTrue(state.status() == CallStatus.MISSED || state.status() == CallStatus.ANSWERED);
                calls.put(state.callId(), state);
                leadIds.add(state.lead().leadId());
                expectedOutcomes.merge(state.lead().leadId(), 1, Integer::sum);
            }
            assertEquals(241, leadIds.size());
            // Every outcome reaches its lead (through the call-outcomes projection) and the read side catches up.
            var sharding = ClusterSharding.get(first.system());
            for (String leadId : leadIds) {
                var state = TestNodes.await(
                        Duration.ofSeconds(60),
                        () -> sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId)
                                .<LeadEntity.State>ask(LeadEntity.Get::new, ASK)
                                .toCompletableFuture()
                                .get(),
                        s -> s.missedCalls() + s.answeredCalls() == expectedOutcomes.get(leadId));
                leads.put(leadId, state);
            }
            TestNodes.await(
                    Duration.ofSeconds(60),
                    () -> first.readStore().counts().toCompletableFuture().get(),
                    c -> c[0] == CALLS && c[3] == CALLS && c[2] == 241);
        }

        // The busy caller's lead is recovered from a snapshot plus the events after it.
        try (var c = java.sql.DriverManager.getConnection(dbUrl, USER, PASSWORD);
                var ps = c.prepareStatement("SELECT COUNT(*) FROM snapshot WHERE persistence_id = ?")) {
            ps.setString(1, "Lead|default:+19845550000");
            var rs = ps.executeQuery();
            rs.next();
            assertTrue(rs.getInt(1) >= 1, "a snapshot was stored for the busy lead");
        }

        try (Node second = Node.start(TestNodes.settings(dbUrl, USER, PASSWORD, null))) {
            for (var e : calls.entrySet()) {
                assertEquals(
                        e.getValue(),
                        second.signals()
                                .get(e.getKey(), ASK)
                                .toCompletableFuture()
                                .get(),
                        e.getKey());
            }
            var sharding = ClusterSharding.get(second.system());
            for (var e : leads.entrySet()) {
                var recovered = sharding.entityRefFor(LeadEntity.ENTITY_KEY, e.getKey())
                        .<LeadEntity.State>ask(LeadEntity.Get::new, ASK)
                        .toCompletableFuture()
                        .get();
                assertEquals(e.getValue(), recovered, e.getKey());
            }
            var busy = leads.get("default:+19845550000");
            assertEquals(40, busy.missedCalls() + busy.answeredCalls());

            // The read side shows them, through the API.
            var json = new ObjectMapper();
            var all = json.readTree(TestNodes.get(second.httpPort(), "/api/calls?limit=1000", TestNodes.TOKEN)
                    .body());
            assertEquals(CALLS, all.size());
            var missed = json.readTree(
                    TestNodes.get(second.httpPort(), "/api/calls?status=missed&limit=1000", TestNodes.TOKEN)
                            .body());
            assertEquals(
                    calls.values().stream()
                            .filter(s -> s.status() == CallStatus.MISSED)
                            .count(),
                    missed.size());
            for (var row : missed) {
                var state = calls.get(row.get("id").asText());
                assertEquals(
                        state.missedReason().name(), row.get("missedReason").asText());
                assertEquals(state.missedAt(), Instant.parse(row.get("missedAt").asText()));
                assertEquals(state.lead().leadId(), row.get("leadId").asText());
            }
            var lead =
                    json.readTree(TestNodes.get(second.httpPort(), "/api/leads/default:+19845550000", TestNodes.TOKEN)
                            .body());
            assertEquals(
                    40,
                    lead.at("/lead/missedCalls").asInt()
                            + lead.at("/lead/answeredCalls").asInt());
            assertEquals(40, lead.get("calls").size());
            assertNotNull(lead.at("/lead/recovery/id").asText());
        }
    }
}
