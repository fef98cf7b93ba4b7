package switchboard.pbx;

import java.util.List;
import org.asteriskjava.manager.event.ManagerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.CallSignals;
import switchboard.call.PbxSignal;
import switchboard.metrics.Metrics;
import switchboard.overflow.OverflowPbx;

/**
 * Where one AMI event goes: the live queue view, the callback channels we originated, the callers' answers to a
 * callback offer, and — translated into {@link PbxSignal}s — the call entities. It is also the one way signals
 * leave the link ({@link #deliver}), whatever produced them (an event, a resync, a CDR record).
 *
 * <p>Called by {@link AmiLink} on its own thread, one event at a time in arrival order; the state it updates
 * (translator, callback channels, queue watch) is the link's.
 */
final class AmiEventRouter {
    private static final Logger log = LoggerFactory.getLogger(AmiEventRouter.class);

    private final String pbxId;
    private final AmiTranslator translator;
    private final CallbackChannels callbackChannels;
    private final AmiCallbackPbx callbacks;
    private final CallSignals signals;
    /** Whether ended calls can be decided from a CDR file (then an adopted call's end waits for its record). */
    private final boolean recordsKept;

    private final Metrics.Counter ignored;
    private final Metrics.Counter routed;

    AmiEventRouter(
            String pbxId,
            AmiTranslator translator,
            CallbackChannels callbackChannels,
            AmiCallbackPbx callbacks,
            CallSignals signals,
            boolean recordsKept,
            Metrics.Counter ignored,
            Metrics.Counter routed) {
        this.pbxId = pbxId;
        this.translator = translator;
        this.callbackChannels = callbackChannels;
        this.callbacks = callbacks;
        this.signals = signals;
        this.recordsKept = recordsKept;
        this.ignored = ignored;
        this.routed = routed;
    }

    /**
     * Fans the event out and delivers what it means to the calls. Returns the hang-up of an adopted call (first seen
     * at a resync), which is not delivered: its CDR record, written as it ends, has the story we missed, so the
     * caller awaits that record and delivers both. Null otherwise.
     */
    PbxSignal.Hangup onEvent(ManagerEvent e) {
        callbacks.queues.onEvent(e);
        for (var ce : callbackChannels.onEvent(e)) callbacks.emit(ce);
        if (e instanceof SwitchboardCallbackOfferEvent o) {
            callbacks.offerAnswered(new OverflowPbx.OfferAnswer(o.callLinkedId(), o.getCallerIdNum(), o.pressedOne()));
        }
        List<PbxSignal> out;
        boolean adopted;
        try {
            String linked = AmiTranslator.linkedIdOf(e);
            adopted = linked != null
                    && translator.isAdopted(linked); // read before the translator forgets the call at hang-up
            out = translator.translate(e);
        } catch (RuntimeException bad) {
            // A malformed value must not stop the link: count it, say what it was, go on.
            ignored.increment();
            log.warn("AMI event {} from {} could not be read: {}", e.getClass().getSimpleName(), pbxId, bad.toString());
            return null;
        }
        if (out.isEmpty()) ignored.increment();
        if (recordsKept && adopted && out.stream().anyMatch(sig -> sig instanceof PbxSignal.HangupRequested)) {
            // An adopted call's hang-up request would decide it from the part of its story we saw; its CDR record, read
            // at the Hangup that follows, has the whole of it.
            out = out.stream()
                    .filter(sig -> !(sig instanceof PbxSignal.HangupRequested))
                    .toList();
        }
        if (recordsKept && adopted && !out.isEmpty() && out.get(out.size() - 1) instanceof PbxSignal.Hangup h) {
            deliver(out.subList(0, out.size() - 1));
            return h;
        }
        deliver(out);
        return null;
    }

    /** To the call entities, in order (each call's signals in its own lane, see {@link CallSignals#deliver}). */
    void deliver(List<PbxSignal> out) {
        for (var s : out) {
            routed.increment();
            signals.deliver(s);
        }
    }
}
