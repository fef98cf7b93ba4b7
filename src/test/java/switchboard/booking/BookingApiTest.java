package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;

/** The dispatch board and a lead's qualification and booking over HTTP, on a real node (H2 journal). */
class BookingApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static Node node;
    private static int port;
    private static final LocalDate DAY = LocalDate.now(ZONE).plusDays(1);

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(TestNodes.settings(TestNodes.h2Url("booking-api"), "sa", """
                switchboard.booking {
                  time-zone = "America/New_York"
                  boards { service { flows = [BOOK_SERVICE], windows {
                    monday = ["08:00-12:00 x3"], tuesday = ["08:00-12:00 x3"], wednesday = ["08:00-12:00 x3"],
                    thursday = ["08:00-12:00 x3"], friday = ["08:00-12:00 x3"], saturday = ["08:00-12:00 x3"],
                    sunday = ["08:00-12:00 x3"] } } }
                }
                switchboard.qualify.service-area.everywhere = ["276"]
                """));
        port = node.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** A lead the node knows: one missed call from {@code number}. */
    private static String missedCaller(String number) {
        var id = CallerIdentification.identify("acme", number, "US", "test:" + number);
        ClusterSharding.get(node.system())
                .entityRefFor(LeadEntity.ENTITY_KEY, id.leadId())
                .<LeadEntity.Ack>ask(
                        r -> new LeadEntity.RecordMiss(
                                "test:" + number, id, LeadSource.LSA, "ABANDONED", Instant.now(), false, r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();
        return id.leadId();
    }

    private static String bookingBody(String window) {
        return "{\"board\":\"service\",\"date\":\"" + DAY + "\",\"window\":\"" + window + "\"}";
    }

    @Test
    void fiftyRacingBookingsForAWindowOfThreeGiveExactlyThree() throws Exception {
        var leads = new ArrayList<String>();
        for (int i = 0; i < 50; i++) leads.add(missedCaller(String.format("+1919555%04d", 1000 + i)));
        var pool = Executors.newFixedThreadPool(50);
        var go = new CountDownLatch(1);
        try {
            var replies = new ArrayList<CompletableFuture<TestNodes.Response>>();
            for (var lead : leads)
                replies.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                                return TestNodes.send(
                                        port,
                                        "POST",
                                        "/api/leads/" + lead + "/booking",
                                        TOKEN,
                                        bookingBody("08:00-12:00"));
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        },
                        pool));
            go.countDown();
            List<Integer> statuses =
                    replies.stream().map(f -> f.join().status()).toList();
            assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(47, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        var board = JSON.readTree(TestNodes.get(port, "/api/board?board=service&from=" + DAY + "&to=" + DAY, TOKEN)
                .body());
        var window = board.get("windows").get(0);
        assertEquals(3, window.get("booked").asInt());
        assertEquals(3, window.get("leads").size());

        // A winner's lead shows the booking, and its recovery ended as BOOKED.
        String winner = window.get("leads").get(0).asText();
        var lead = TestNodes.awaitLead(
                port,
                winner,
                Duration.ofSeconds(20),
                n -> n.path("lead").path("recovery").path("status").asText().equals("BOOKED"));
        assertEquals("08:00-12:00", lead.path("booking").path("window").asText(), lead.toString());

        // Cancelling frees the place for the next caller.
        assertEquals(
                200,
                TestNodes.send(port, "DELETE", "/api/leads/" + winner + "/booking", TOKEN, null)
                        .status());
        assertEquals(
                404,
                TestNodes.send(port, "DELETE", "/api/leads/" + winner + "/booking", TOKEN, null)
                        .status());
        String loser = leads.stream()
                .filter(l -> !window.get("leads").toString().contains(l))
                .findFirst()
                .orElseThrow();
        assertEquals(
                200,
                TestNodes.send(port, "POST", "/api/leads/" + loser + "/booking", TOKEN, bookingBody("08:00-12:00"))
                        .status());
    }

    @Test
    void aCsrQualifiesALeadAndTheAreaIsDecidedByTheNode() throws Exception {
        String lead = missedCaller("+19195552000");
        var r = TestNodes.send(
                port,
                "PUT",
                "/api/leads/" + lead + "/qualification",
                TOKEN,
                "{\"service\":\"repair\",\"zip\":\"27601\",\"urgency\":\"soon\"}");
        assertEquals(200, r.status(), r.body());
        var q = JSON.readTree(r.body()).get("qualification");
        assertEquals("repair", q.get("service").asText());
        assertTrue(q.get("inServiceArea").asBoolean());
        assertEquals("CSR", q.get("channel").asText());
        var outside = JSON.readTree(TestNodes.send(
                                port, "PUT", "/api/leads/" + lead + "/qualification", TOKEN, "{\"zip\":\"90210\"}")
                        .body())
                .get("qualification");
        assertEquals("repair", outside.get("service").asText(), "kept");
        assertTrue(!outside.get("inServiceArea").asBoolean());
        var shown = TestNodes.awaitLead(port, lead, Duration.ofSeconds(20), n -> n.has("qualification"));
        assertEquals("90210", shown.path("qualification").path("zip").asText());
    }

    @Test
    void badInputGetsAClearErrorAndChangesNothing() throws Exception {
        String lead = missedCaller("+19195552001");
        assertError("PUT", "/api/leads/" + lead + "/qualification", "{\"zip\":\"2760\"}", 400, "five digits");
        assertError(
                "PUT",
                "/api/leads/" + lead + "/qualification",
                "{\"service\":\"roofing\"}",
                400,
                "not a service on the menu");
        assertError(
                "PUT",
                "/api/leads/" + lead + "/qualification",
                "{\"urgency\":\"yesterday\"}",
                400,
                "'urgency' must be one of");
        assertError("PUT", "/api/leads/" + lead + "/qualification", "{}", 400, "at least one of");
        assertError("PUT", "/api/leads/" + lead + "/qualification", "not json", 400, "not valid JSON");
        assertError("PUT", "/api/leads/acme:+19195559999/qualification", "{\"zip\":\"27601\"}", 404, "no lead");
        assertError("POST", "/api/leads/" + lead + "/booking", bookingBody("13:00-17:00"), 404, "has no window");
        assertError(
                "POST",
                "/api/leads/" + lead + "/booking",
                "{\"board\":\"service\",\"date\":\"tomorrow\",\"window\":\"08:00-12:00\"}",
                400,
                "must be a date");
        assertError("POST", "/api/leads/acme:+19195559999/booking", bookingBody("08:00-12:00"), 404, "no lead");
        assertError("GET", "/api/board?board=roof", null, 404, "no board");
        assertError("PUT", "/api/board/service/" + DAY + "/08:00-12:00", "{\"capacity\":-1}", 400, "capacity");
        assertEquals(
                401,
                TestNodes.send(port, "POST", "/api/leads/" + lead + "/booking", "wrong", bookingBody("08:00-12:00"))
                        .status());
    }

    @Test
    void aCapacitySetForADayIsShownAndHeld() throws Exception {
        var day = DAY.plusDays(1);
        var r = TestNodes.send(port, "PUT", "/api/board/service/" + day + "/08:00-12:00", TOKEN, "{\"capacity\":1}");
        assertEquals(200, r.status(), r.body());
        var a = missedCaller("+19195552002");
        var b = missedCaller("+19195552003");
        var body = "{\"board\":\"service\",\"date\":\"" + day + "\",\"window\":\"08:00-12:00\"}";
        assertEquals(
                200,
                TestNodes.send(port, "POST", "/api/leads/" + a + "/booking", TOKEN, body)
                        .status());
        assertEquals(
                409,
                TestNodes.send(port, "POST", "/api/leads/" + b + "/booking", TOKEN, body)
                        .status());
        var board = JSON.readTree(TestNodes.get(port, "/api/board?from=" + day + "&to=" + day, TOKEN)
                .body());
        assertEquals(1, board.get("windows").get(0).get("capacity").asInt());
    }

    private static void assertError(String method, String path, String body, int status, String says) throws Exception {
        var r = method.equals("GET")
                ? TestNodes.get(port, path, TOKEN)
                : TestNodes.send(port, method, path, TOKEN, body);
        assertEquals(status, r.status(), r.body());
        assertTrue(r.body().contains(says), r.body());
    }
}
