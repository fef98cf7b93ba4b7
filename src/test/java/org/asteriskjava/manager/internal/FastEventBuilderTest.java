package org.asteriskjava.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.asteriskjava.manager.event.ManagerEvent;
import org.junit.jupiter.api.Test;
import switchboard.pbx.SwitchboardAfterHoursEvent;
import switchboard.pbx.SwitchboardCallbackEvent;
import switchboard.pbx.SwitchboardCallbackOfferEvent;
import switchboard.pbx.SwitchboardVoicemailEvent;

/**
 * Switchboard's AMI reader must build exactly what Asterisk-Java's own builder builds: every public property of
 * every event recorded from the real Asterisk 22 is compared between the two, and odd frames must reach the
 * library's own handling.
 */
class FastEventBuilderTest {
    private static final List<String> TRANSCRIPTS = List.of(
            "queue-answered",
            "queue-abandon",
            "short-abandon",
            "queue-timeout-voicemail",
            "direct-busy",
            "direct-chanunavail",
            "direct-noanswer-voicemail",
            "direct-unreachable",
            "after-hours",
            "ivr-hangup",
            "actions-originate-answered",
            "actions-originate-busy",
            "actions-originate-congestion",
            "actions-originate-failure",
            "actions-originate-noanswer",
            "actions-queue-redirect",
            "actions-errors");
    private static final List<Class<? extends ManagerEvent>> USER_EVENTS = List.of(
            SwitchboardAfterHoursEvent.class,
            SwitchboardVoicemailEvent.class,
            SwitchboardCallbackEvent.class,
            SwitchboardCallbackOfferEvent.class);
    private final Object source = new Object();

    @Test
    void everyRecordedEventIsBuiltAsTheLibraryBuildsIt() throws Exception {
        var library = new EventBuilderImpl();
        var fast = new FastEventBuilder();
        USER_EVENTS.forEach(c -> {
            library.registerEventClass(c);
            fast.registerEventClass(c);
        });
        int compared = 0, properties = 0;
        var types = new HashSet<String>();
        for (var name : TRANSCRIPTS) {
            for (var frame : frames(name)) {
                if (!frame.containsKey("event")) continue;
                types.add(frame.get("event") + ":" + frame.getOrDefault("userevent", ""));
                var expected = library.buildEvent(source, new HashMap<>(frame));
                fast.buildEvent(source, new HashMap<>(frame)); // the first of its type goes through the library
                var actual = fast.buildEvent(source, new HashMap<>(frame));
                if (expected == null) {
                    assertNull(actual, frame.get("event") + " in " + name);
                    continue;
                }
                properties += assertSameProperties(expected, actual, name);
                compared++;
            }
        }
        assertTrue(compared > 450, "events compared: " + compared);
        assertTrue(properties > compared * 10, "properties compared: " + properties);
        // The library built the first event of each type only: everything else took the fast path.
        assertTrue(
                fast.libraryBuilds() <= types.size(),
                fast.libraryBuilds() + " library builds for " + types.size() + " event types");
    }

    @Test
    void headersFollowTheLibraryReadersRules() {
        var lines = List.of(
                "Event: Newchannel",
                "Channel:  PJSIP/carrier-0000000b ",
                "NoColonHere",
                ": value without a name",
                "AccountCode:",
                "  Spaced Name  :  v  ",
                "Tabbed:\t tab\t",
                "Data: a: b: c",
                "ChanVariable: SB_SOURCE=LSA",
                "ChanVariable: SB_DID=+18005550102",
                "chanvariable: third=3",
                "Output: one",
                "Output: two");
        var ours = new HashMap<String, Object>();
        var libraryRules = new HashMap<String, Object>();
        for (var line : lines) {
            SwitchboardManagerReader.addHeader(ours, line);
            addLikeTheLibraryReader(libraryRules, line);
        }
        assertEquals(libraryRules, ours);
        assertEquals("PJSIP/carrier-0000000b", ours.get("channel"));
        assertEquals("", ours.get("accountcode"));
        assertEquals("v", ours.get("spaced name"));
        assertEquals("a: b: c", ours.get("data"));
        assertEquals(List.of("SB_SOURCE=LSA", "SB_DID=+18005550102", "third=3"), ours.get("chanvariable"));
        assertEquals(List.of("one", "two"), ours.get("output"));
        assertEquals("tab", ours.get("tabbed"));
        assertEquals(8, ours.size(), ours.keySet().toString());
    }

    @Test
    void oddValuesAreLeftToTheLibrary() throws Exception {
        var library = new EventBuilderImpl();
        var fast = new FastEventBuilder();
        var good = frame(
                "Event: Newchannel",
                "Uniqueid: 1.1",
                "Linkedid: 1.1",
                "ChannelState: 4",
                "ChanVariable: SB_SOURCE=LSA");
        fast.buildEvent(source, new HashMap<>(good));
        long afterLearning = fast.libraryBuilds();
        assertSameProperties(
                library.buildEvent(source, new HashMap<>(good)), fast.buildEvent(source, new HashMap<>(good)), "good");
        assertEquals(afterLearning, fast.libraryBuilds());

        var odd = List.of(
                frame("Event: Newchannel", "Uniqueid: 1.2", "ChannelState: four"), // not a number
                frame("Event: Newchannel", "Uniqueid: 1.3", "ChanVariable: no-equals-sign"), // malformed map line
                frame(
                        "Event: Newchannel",
                        "Uniqueid: 1.4",
                        "ChannelState: 4",
                        "ChannelState: 5"), // a list where a number goes
                frame(
                        "Event: Newchannel",
                        "Uniqueid: 1.5",
                        "Exten: <unknown>",
                        "SomethingNew: x")); // null literal, no setter
        for (var frame : odd) {
            var expected = library.buildEvent(source, new HashMap<>(frame));
            var actual = fast.buildEvent(source, new HashMap<>(frame));
            assertSameProperties(expected, actual, frame.toString());
        }
        assertEquals(
                afterLearning + 3,
                fast.libraryBuilds(),
                "three odd frames went to the library; the fourth is ordinary");

        var peers = frame("Event: PeerEntry", "Event: PeerEntry", "ObjectName: 201", "ObjectName: 202", "ListItems: 2");
        var expected = library.buildEvent(source, new HashMap<>(peers));
        var actual = fast.buildEvent(source, new HashMap<>(peers));
        assertNotNull(actual);
        assertSameProperties(expected, actual, "peers");
        assertNull(fast.buildEvent(source, new HashMap<>(frame("Event: NoSuchEventAnywhere", "A: b"))));
    }

    @Test
    void nullLiteralsAreNoLongerThanTheBuilderAssumes() throws Exception {
        // FastEventBuilder skips Asterisk-Java's null-literal lookup for values longer than 16 characters.
        var field = org.asteriskjava.util.AstUtil.class.getDeclaredField("NULL_LITERALS");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        var literals = (java.util.Set<String>) field.get(null);
        assertTrue(literals.size() >= 10, literals.toString());
        assertTrue(literals.stream().allMatch(l -> l.length() <= 16), literals.toString());
    }

    /** Compares every public no-argument getter; returns how many were not null. */
    private static int assertSameProperties(ManagerEvent expected, ManagerEvent actual, String where) throws Exception {
        assertNotNull(actual, where);
        assertEquals(expected.getClass(), actual.getClass(), where);
        int set = 0;
        for (Method getter : expected.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())) continue;
            var n = getter.getName();
            if (!(n.startsWith("get") || n.startsWith("is")) || n.equals("getClass")) continue;
            var want = value(getter, expected);
            var got = value(getter, actual);
            assertTrue(
                    Objects.deepEquals(want, got),
                    () -> expected.getClass().getSimpleName() + "." + n + " in " + where + ": library " + want
                            + ", ours " + got);
            if (want != null) set++;
        }
        return set;
    }

    private static Object value(Method getter, Object target) {
        try {
            var v = getter.invoke(target);
            return v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof ManagerEvent
                    ? list.size()
                    : v;
        } catch (ReflectiveOperationException e) {
            return "threw " + e.getCause().getClass().getName();
        }
    }

    /** ManagerReaderImpl's header rule, as Asterisk-Java 3.42.2 has it (split on the first colon, lower-case, trim). */
    private static void addLikeTheLibraryReader(Map<String, Object> buffer, String line) {
        var parts = line.split(":", 2);
        if (parts.length != 2) return;
        var name = parts[0].toLowerCase(Locale.ENGLISH).trim();
        var value = parts[1].trim();
        if (name.isEmpty()) return;
        if (!buffer.containsKey(name)) {
            buffer.put(name, value);
            return;
        }
        var current = buffer.get(name);
        if (current instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            var list = (List<Object>) l;
            list.add(value);
            return;
        }
        var list = new ArrayList<Object>(List.of(current.toString(), value));
        buffer.put(name, list);
    }

    private static Map<String, Object> frame(String... lines) {
        var frame = new HashMap<String, Object>();
        Arrays.stream(lines).forEach(l -> SwitchboardManagerReader.addHeader(frame, l));
        return frame;
    }

    private static List<Map<String, Object>> frames(String transcript) throws IOException {
        String text;
        try (InputStream in =
                FastEventBuilderTest.class.getResourceAsStream("/ami-transcripts/" + transcript + ".ami")) {
            assertNotNull(in, transcript);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var frames = new ArrayList<Map<String, Object>>();
        var current = new HashMap<String, Object>();
        for (var line : text.split("\r?\n", -1)) {
            if (line.startsWith("Asterisk Call Manager/")) continue;
            if (line.isEmpty()) {
                if (!current.isEmpty()) frames.add(current);
                current = new HashMap<>();
            } else {
                SwitchboardManagerReader.addHeader(current, line);
            }
        }
        if (!current.isEmpty()) frames.add(current);
        return frames;
    }
}
