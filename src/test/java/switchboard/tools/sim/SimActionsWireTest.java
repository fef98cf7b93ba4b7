package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator's answers to AMI actions, byte for byte on the wire, against what the real Asterisk 22 lab
 * answered to the same actions (ami-transcripts/actions-*.ami, recorded by src/test/lab/record-actions.sh):
 * the replies exactly, and each event sequence in the fields Switchboard reads, with ids renamed one to one.
 */
class SimActionsWireTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Headers compared as recorded (after the recorded numbers/ids are mapped to this run's). */
    private static final List<String> KEPT = List.of(
            "Event",
            "Response",
            "Message",
            "Reason",
            "Cause",
            "DialStatus",
            "Variable",
            "Value",
            "Queue",
            "Position",
            "Context",
            "Exten",
            "Application",
            "AppData",
            "ChannelState",
            "EventList",
            "ListItems",
            "UserEvent");

    private static final List<String> IDS = List.of("Uniqueid", "Linkedid", "DestUniqueid", "DestLinkedid");

    private static PbxSimulator sim(CalleeModel callees) throws Exception {
        var pbx = new PbxSimulator("t", "switchboard", "s3cret", null);
        pbx.calleeModel(callees);
        return pbx;
    }

    private static List<String> actionsOf(String recording) {
        var out = new ArrayList<String>();
        for (String a : ActionRecording.resource("actions-" + recording + ".ami.actions")
                .split("\r\n\r\n")) if (!a.isBlank()) out.add(a.strip() + "\r\n\r\n");
        return out;
    }

    private static String h(String frame, String name) {
        return CallTemplate.header(frame, name);
    }

    private static boolean isEvent(String m) {
        return m.startsWith("Event: ") && !m.startsWith("Event: FullyBooted\r\n");
    }

    /** Compares two event sequences in the KEPT fields and the id relations; {@code map} renames recorded text first. */
    private static void assertSameSequence(
            String what,
            List<ActionRecording.Message> recorded,
            List<String> got,
            Map<String, String> map,
            Map<String, String> ids) {
        assertEquals(
                names(recorded.stream().map(ActionRecording.Message::text).toList()),
                names(got),
                what + ": event names in order");
        for (int i = 0; i < recorded.size(); i++) {
            String r = recorded.get(i).text();
            for (var e : map.entrySet()) r = r.replace(e.getKey(), e.getValue());
            String g = got.get(i);
            for (String k : KEPT) assertEquals(h(r, k), h(g, k), what + " #" + i + " " + h(r, "Event") + " " + k);
            for (String k : IDS) {
                String a = h(r, k);
                String b = h(g, k);
                assertEquals(a == null, b == null, what + " #" + i + " " + k + " present");
                if (a == null) continue;
                String prev = ids.putIfAbsent(a, b);
                assertEquals(
                        prev == null ? b : prev,
                        b,
                        what + " #" + i + " " + h(r, "Event") + " " + k + " maps one to one");
            }
            assertEquals(h(r, "ActionID"), h(g, "ActionID"), what + " #" + i + " ActionID");
        }
    }

    private static List<String> names(List<String> frames) {
        return frames.stream().map(f -> h(f, "Event")).toList();
    }

    @Test
    void eachOriginateOutcomeIsTheRecordedOne() throws Exception {
        Map<String, CalleeModel.Behaviour> kinds = Map.of(
                "answered",
                CalleeModel.Behaviour.ANSWER,
                "busy",
                CalleeModel.Behaviour.BUSY,
                "noanswer",
                CalleeModel.Behaviour.NO_ANSWER,
                "congestion",
                CalleeModel.Behaviour.CONGESTION,
                "failure",
                CalleeModel.Behaviour.FAILURE);
        for (var k : kinds.entrySet()) {
            String kind = k.getKey();
            var rec = ActionRecording.load("originate-" + kind);
            String action = actionsOf("originate-" + kind).get(0);
            String number = OriginateScript.number(h(action, "Channel"));
            var callees = CalleeModel.typical(7)
                    .pin(
                            number,
                            new CalleeModel.Decision(k.getValue(), Duration.ofMillis(300), Duration.ofMillis(800)));
            try (var pbx = sim(callees);
                    var c = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "on")) {
                // another ActionID, ChannelId and Timeout than recorded: the copy must carry the client's
                String sent = action.replace("rec-" + kind, "t-" + kind)
                        .replace("sbcb-" + kind, "1799999999." + kind.length())
                        .replaceAll("(?m)^Timeout: \\d+", "Timeout: 1000");
                c.send(sent);
                int reply = c.await(m -> m.contains("ActionID: t-" + kind + "\r\n") && m.startsWith("Response:"), WAIT);
                assertEquals(
                        rec.response("rec-" + kind).text().replace("rec-" + kind, "t-" + kind),
                        c.messages().get(reply),
                        kind + ": reply");
                var expected = rec.eventsAfter("rec-" + kind, "rec-" + kind);
                var got = c.awaitCount(reply + 1, SimActionsWireTest::isEvent, expected.size(), WAIT);
                var ids = new HashMap<String, String>();
                ids.put("sbcb-" + kind, "1799999999." + kind.length());
                assertSameSequence(kind, expected, got, Map.of("rec-" + kind, "t-" + kind), ids);
                var response = got.stream()
                        .filter(m -> m.startsWith("Event: OriginateResponse\r\n"))
                        .findFirst()
                        .orElseThrow();
                assertEquals(Integer.toString(k.getValue().reason), h(response, "Reason"), kind + ": Reason");
                assertEquals("1799999999." + kind.length(), h(response, "Uniqueid"), kind + ": Uniqueid = ChannelId");
                assertEquals(1, pbx.originatesReceived());
                assertEquals(1, pbx.maxConcurrentOriginated());
                await(() -> pbx.liveOriginated() == 0, kind + ": the originate ends");
            }
        }
    }

    @Test
    void concurrentOriginatesAreCountedOnTheSimulatorsSide() throws Exception {
        var callees = CalleeModel.always(CalleeModel.Behaviour.ANSWER, Duration.ofMillis(200), Duration.ofMillis(1500));
        try (var pbx = sim(callees);
                var c = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "on")) {
            for (int i = 0; i < 4; i++) {
                c.send("action: Originate\r\nactionid: many-" + i + "\r\nchannel: PJSIP/+1919555030" + i
                        + "@customer\r\ncontext: sb-callback\r\nexten: s\r\npriority: 1\r\n"
                        + "async: true\r\nchannelid: many-chan-" + i + "\r\n\r\n");
            }
            c.awaitCount(0, m -> m.startsWith("Event: OriginateResponse\r\n"), 4, WAIT);
            assertEquals(4, pbx.originatesReceived());
            assertEquals(4, pbx.maxConcurrentOriginated());
            // while they talk, their channels are listed like any other
            c.send("Action: CoreShowChannels\r\nActionID: csc\r\n\r\n");
            int complete = c.await(m -> m.startsWith("Event: CoreShowChannelsComplete\r\n"), WAIT);
            long customers = c.messages().subList(0, complete).stream()
                    .filter(m -> m.startsWith("Event: CoreShowChannel\r\n")
                            && h(m, "Uniqueid").startsWith("many-chan-"))
                    .count();
            assertEquals(4, customers);
            await(() -> pbx.liveOriginated() == 0, "every originated call hangs up");
            assertEquals(4, pbx.maxConcurrentOriginated());
        }
    }

    @Test
    void originatesAreCountedPerNumberWithTheFirstArrival() throws Exception {
        var callees = CalleeModel.always(CalleeModel.Behaviour.BUSY, Duration.ofMillis(50), Duration.ZERO);
        try (var pbx = sim(callees);
                var c = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "on")) {
            String again = "+19195550311", once = "+19195550312";
            assertEquals(0, pbx.originatesTo(again));
            assertNull(pbx.firstOriginateAt(again));
            var before = Instant.now();
            for (var n : List.of(again, once, again)) {
                c.send("action: Originate\r\nactionid: per-" + n + "-" + System.nanoTime() + "\r\nchannel: PJSIP/" + n
                        + "@customer\r\ncontext: sb-callback\r\nexten: s\r\n" + "priority: 1\r\nasync: true\r\n\r\n");
            }
            c.awaitCount(0, m -> m.startsWith("Event: OriginateResponse\r\n"), 3, WAIT);
            assertEquals(2, pbx.originatesTo(again), "a number dialled twice shows twice");
            assertEquals(1, pbx.originatesTo(once));
            var first = pbx.firstOriginateAt(again);
            assertTrue(
                    !first.isBefore(before) && !first.isAfter(pbx.firstOriginateAt(once)),
                    "the first arrival is kept: " + first);
            // an Originate the PBX refuses (no channel) dials nobody
            c.send("action: Originate\r\nactionid: none\r\ncontext: sb-callback\r\nexten: s\r\npriority: 1\r\n\r\n");
            c.await(m -> m.contains("ActionID: none\r\n") && m.contains("Response: Error"), WAIT);
            assertEquals(3, pbx.originatesTo(again) + pbx.originatesTo(once));
        }
    }

    @Test
    void errorRepliesAreAsterisks() throws Exception {
        var rec = ActionRecording.load("errors");
        var callees = CalleeModel.typical(3)
                .pin(
                        "+19195550205",
                        new CalleeModel.Decision(CalleeModel.Behaviour.FAILURE, Duration.ofMillis(6), Duration.ZERO));
        try (var pbx = sim(callees);
                var c = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "on")) {
            for (String action : actionsOf("errors")) {
                String id = h(action, "ActionID");
                c.send(action);
                int i = c.await(m -> m.startsWith("Response:") && m.contains("ActionID: " + id + "\r\n"), WAIT);
                assertEquals(rec.response(id).text(), c.messages().get(i), id + ": " + h(action, "Action"));
                String complete = h(action, "Action").equals("QueueStatus")
                        ? "QueueStatusComplete"
                        : h(action, "Action").equals("CoreShowChannels") ? "CoreShowChannelsComplete" : null;
                if (complete != null) {
                    int j = c.await(
                            m -> m.startsWith("Event: " + complete + "\r\n") && m.contains("ActionID: " + id + "\r\n"),
                            WAIT);
                    var recorded = rec.messages().stream()
                            .filter(m -> id.equals(m.header("ActionID")))
                            .map(ActionRecording.Message::text)
                            .toList();
                    var got = c.messages().subList(i, j + 1).stream()
                            .filter(m -> id.equals(h(m, "ActionID")))
                            .toList();
                    // an idle PBX: the same queues, members and (no) entries
                    assertEquals(names(recorded.subList(1, recorded.size())), names(got.subList(1, got.size())), id);
                    assertEquals(recorded.get(recorded.size() - 1), got.get(got.size() - 1), id + " Complete");
                }
            }
        }
    }

    @Test
    void aQueuedCallerIsListedSetAndRedirectedAsRecorded() throws Exception {
        var rec = ActionRecording.load("queue-redirect");
        var actions = actionsOf("queue-redirect");
        var template = CallTemplate.loadAll().get("queue-abandon");
        try (var pbx = sim(CalleeModel.typical(1));
                var c = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "on")) {
            var call = pbx.place(template, "+19845551234", Instant.now());
            c.await(m -> m.startsWith("Event: QueueCallerJoin\r\n"), WAIT);
            c.awaitCount(0, m -> m.startsWith("Event: DialBegin\r\n"), 2, WAIT);
            String channel = h(call.frames().get(0).text(), "Channel");

            // QueueStatus: the recorded lists, with this caller as the entry
            c.send(actions.get(0));
            int qs = c.await(m -> m.startsWith("Event: QueueStatusComplete\r\n"), WAIT);
            var recordedQs = rec.messages().stream()
                    .filter(m -> "rec-queuestatus".equals(m.header("ActionID")))
                    .map(ActionRecording.Message::text)
                    .toList();
            var gotQs = c.messages().subList(0, qs + 1).stream()
                    .filter(m -> "rec-queuestatus".equals(h(m, "ActionID")))
                    .toList();
            assertEquals(names(recordedQs), names(gotQs));
            var entry = gotQs.stream()
                    .filter(m -> m.startsWith("Event: QueueEntry\r\n"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(call.linkedId(), h(entry, "Uniqueid"));
            assertEquals(channel, h(entry, "Channel"));
            assertEquals("+19845551234", h(entry, "CallerIDNum"));
            assertEquals("1", h(entry, "Position"));
            for (int i = 0; i < recordedQs.size(); i++)
                assertEquals(keys(recordedQs.get(i)), keys(gotQs.get(i)), "QueueStatus item " + i + " headers");

            // CoreShowChannels: the caller and its two ringing agent legs, in the recorded format
            c.send(actions.get(1));
            int cs = c.await(m -> m.startsWith("Event: CoreShowChannelsComplete\r\n"), WAIT);
            var recordedCs = rec.listItems("rec-coreshowchannels", "CoreShowChannel");
            var gotCs = c.messages().subList(0, cs).stream()
                    .filter(m -> m.startsWith("Event: CoreShowChannel\r\n"))
                    .toList();
            assertEquals(recordedCs.size(), gotCs.size());
            for (int i = 0; i < gotCs.size(); i++)
                assertEquals(keys(recordedCs.get(i).text()), keys(gotCs.get(i)), "CoreShowChannel headers");

            // Setvar on the caller's channel: the reply, then VarSet on that channel
            String recChannel = h(actions.get(2), "Channel");
            c.send(actions.get(2).replace(recChannel, channel));
            int sv = c.await(m -> m.startsWith("Response:") && m.contains("ActionID: rec-setvar\r\n"), WAIT);
            assertEquals(rec.response("rec-setvar").text(), c.messages().get(sv));
            int vs = c.await(m -> m.startsWith("Event: VarSet\r\n") && "SB_OVERFLOW".equals(h(m, "Variable")), WAIT);
            var recordedVs = rec.messages().stream()
                    .filter(m -> m.isEvent("VarSet") && "SB_OVERFLOW".equals(m.header("Variable")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(keys(recordedVs.text()), keys(c.messages().get(vs)));
            assertEquals(call.linkedId(), h(c.messages().get(vs), "Uniqueid"));
            assertEquals("office", h(c.messages().get(vs), "Value"));

            // Redirect: the reply, then what the real caller went through after it, on this call's ids
            c.send(actions.get(3).replace(recChannel, channel));
            int rd = c.await(m -> m.startsWith("Response:") && m.contains("ActionID: rec-redirect\r\n"), WAIT);
            assertEquals(rec.response("rec-redirect").text(), c.messages().get(rd));
            var expected = rec.eventsAfter("rec-redirect", "rec-redirect");
            var got = c.awaitCount(rd + 1, SimActionsWireTest::isEvent, expected.size(), Duration.ofSeconds(60));
            var recCaller = rec.messages().stream()
                    .filter(m -> m.isEvent("Newchannel") && "from-carrier".equals(m.header("Context")))
                    .findFirst()
                    .orElseThrow();
            var ids = new HashMap<String, String>();
            ids.put(recCaller.header("Uniqueid"), call.linkedId());
            assertSameSequence("redirect", expected, got, Map.of(recCaller.header("CallerIDNum"), "+19845551234"), ids);
            assertEquals(1, pbx.redirectsReceived());
            await(() -> pbx.finished() == 1, "the redirected call ends");
            assertEquals(
                    "answered", pbx.groundTruth().get("t:" + call.linkedId()).status(), "the recording's outcome");
            // and the old recording's rest never went out
            assertFalse(got.stream()
                    .anyMatch(m -> m.startsWith("Event: QueueCallerAbandon\r\n")
                            && "service".equals(h(m, "Queue"))
                            && got.indexOf(m) > 20));
        }
    }

    @Test
    void onlyTheEventClassesTheLoginAskedForAreSent() throws Exception {
        var template = CallTemplate.loadAll().get("short-abandon");
        try (var pbx = sim(CalleeModel.typical(1));
                var all = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", null);
                var some = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "call,agent");
                var none = new AmiWire(pbx.amiPort(), "switchboard", "s3cret", "off")) {
            pbx.place(template, "+19845550042", Instant.now());
            all.await(m -> m.startsWith("Event: UserEvent\r\n") && m.contains("SwitchboardCallEnd"), WAIT);
            some.await(m -> m.startsWith("Event: Hangup\r\n") && m.contains("+19845550042"), WAIT);
            none.send("Action: Ping\r\nActionID: p\r\n\r\n");
            none.await(m -> m.contains("ActionID: p\r\n"), WAIT);
            var privileges = some.messages().stream()
                    .filter(m -> m.startsWith("Event: "))
                    .map(m -> h(m, "Privilege"))
                    .distinct()
                    .toList();
            assertFalse(privileges.isEmpty());
            for (String p : privileges) assertTrue(p.equals("call,all") || p.equals("agent,all"), p);
            assertTrue(all.messages().stream().anyMatch(m -> "dialplan,all".equals(h(m, "Privilege"))));
            assertTrue(all.messages().stream().anyMatch(m -> m.startsWith("Event: FullyBooted\r\n")));
            assertFalse(
                    some.messages().stream().anyMatch(m -> m.startsWith("Event: FullyBooted\r\n")),
                    "FullyBooted is system class");
            assertTrue(none.messages().stream().noneMatch(m -> m.startsWith("Event: ")), "Events: off");
        }
    }

    private static List<String> keys(String frame) {
        var out = new ArrayList<String>();
        var m = Pattern.compile("(?m)^([^:\\r\\n]+):").matcher(frame);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out: " + what);
            Thread.onSpinWait();
            try {
                Thread.sleep(10); // polling interval of the deadline loop, not a synchronisation
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertNotNull(what);
    }
}
