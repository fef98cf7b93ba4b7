package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator plays copies of the real-Asterisk recordings: in every field Switchboard reads, a copy must
 * be the recording, with only ids, caller number and times moved consistently.
 */
class CallTemplateTest {
    /** Headers the adapter reads (AmiTranslator, CdrBackfill) that a copy must keep as recorded. */
    private static final List<String> KEPT = List.of(
            "Event",
            "Context",
            "Exten",
            "Application",
            "AppData",
            "Variable",
            "Value",
            "Queue",
            "Position",
            "Interface",
            "MemberName",
            "DialStatus",
            "DestChannel",
            "Cause",
            "Mailbox",
            "UserEvent");

    @Test
    void everyCopyKeepsTheRecordedSequenceInTheFieldsSwitchboardUses() {
        var templates = CallTemplate.loadAll();
        assertEquals(10, templates.size());
        Instant start = Instant.parse("2026-07-15T15:00:00Z");
        for (var t : templates.values()) {
            var copy = t.instantiate("+19845550000", start);
            assertEquals(t.frames().size(), copy.frames().size(), t.name());
            Map<String, String> idMap = new HashMap<>();
            for (int i = 0; i < t.frames().size(); i++) {
                String orig = t.frames().get(i).frame();
                String sim = copy.frames().get(i).text();
                for (String h : KEPT) {
                    String a = CallTemplate.header(orig, h);
                    String b = CallTemplate.header(sim, h);
                    if (a != null && a.contains(t.callerNumber())) a = a.replace(t.callerNumber(), "+19845550000");
                    assertEquals(a, b, t.name() + " frame " + i + " header " + h);
                }
                // ids are renamed one to one, so the same channel stays the same channel
                for (String h : List.of("Uniqueid", "Linkedid", "DestUniqueid", "DestLinkedid")) {
                    String a = CallTemplate.header(orig, h);
                    String b = CallTemplate.header(sim, h);
                    if (a == null) continue;
                    String prev = idMap.putIfAbsent(a, b);
                    assertEquals(prev == null ? b : prev, b, t.name() + " " + h);
                    assertNotEquals(a, b);
                }
                // and the pace is the recorded one
                assertEquals(
                        Duration.ofNanos(t.frames().get(i).offsetMicros() * 1000),
                        Duration.between(start, copy.frames().get(i).at()));
            }
            assertEquals(idMap.get(t.linkedId()), copy.linkedId());
            assertTrue(
                    copy.frames().stream().anyMatch(CallTemplate.Instance.Frame::callerHangup),
                    t.name() + ": the caller's hang-up is marked");
            assertFalse(copy.cdrLines().isEmpty());
            assertTrue(
                    copy.cdrLines()
                            .get(0)
                            .startsWith("\""
                                    + idMap.getOrDefault(
                                            CallTemplate.csv(t.cdrLines().get(0))
                                                    .get(0),
                                            "?") + "\""),
                    t.name());
            assertTrue(copy.cdrLines().get(0).contains("\"+19845550000\""), t.name());
        }
    }

    @Test
    void copiesNeverShareIds() {
        var t = CallTemplate.loadAll().get("queue-abandon");
        var a = t.instantiate("+19845550001", Instant.now());
        var b = t.instantiate("+19845550002", Instant.now());
        assertNotEquals(a.linkedId(), b.linkedId());
    }
}
