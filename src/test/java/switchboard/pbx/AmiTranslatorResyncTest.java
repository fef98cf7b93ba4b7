package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.junit.jupiter.api.Test;
import switchboard.call.PbxSignal;

/**
 * The two races of a resync: Asterisk's channel list is a snapshot of the moment it was asked for, while events
 * keep coming. Found by a node restart under load (loadtest --restart-node-at), where both happened by the dozen.
 */
class AmiTranslatorResyncTest {
    private static final Instant NOW = Instant.parse("2026-07-15T14:00:00Z");
    private final AmiTranslator translator = new AmiTranslator("main", Set.of("sb-inbound"), "SB_SOURCE", () -> NOW);

    private static NewChannelEvent newCaller(String id) {
        var e = new NewChannelEvent(new Object());
        e.setUniqueId(id);
        e.setLinkedid(id);
        e.setContext("sb-inbound");
        e.setExten("+18005550100");
        e.setCallerIdNum("+19195550123");
        return e;
    }

    private static HangupEvent hangup(String id) {
        var e = new HangupEvent(new Object());
        e.setUniqueId(id);
        e.setLinkedId(id);
        e.setCause(16);
        return e;
    }

    @Test
    void aCallFirstSeenAfterTheSnapshotWasAskedForIsNotEndedForMissingFromIt() {
        translator.translate(newCaller("100.1")); // followed before the resync, gone from the snapshot: ended
        long mark = translator.markResync();
        translator.translate(newCaller("100.2")); // started after the snapshot was taken
        var ended = translator.endMissing(Set.of(), NOW, mark);
        translator.resyncDone();
        assertEquals(
                Set.of("100.1"),
                ended.stream()
                        .filter(s -> s instanceof PbxSignal.Hangup)
                        .map(PbxSignal::linkedId)
                        .collect(java.util.stream.Collectors.toSet()));
        assertEquals(1, translator.trackedCalls(), "the new call is still followed");
    }

    @Test
    void aListedCallerWhoHungUpBeforeTheAnswerWasReadIsKnownToBeGone() {
        translator.markResync();
        translator.translate(hangup("100.3")); // unknown yet: the snapshot (read next) still lists it
        translator.translate(hangup("100.4"));
        assertNotNull(translator.hungUpDuringResync("100.3"));
        assertNull(translator.hungUpDuringResync("100.5"));
        translator.resyncDone();
        assertNull(translator.hungUpDuringResync("100.3"), "only while a resync is in flight");
        translator.translate(hangup("100.6"));
        assertNull(translator.hungUpDuringResync("100.6"));
        assertTrue(translator.trackedCalls() == 0);
    }
}
