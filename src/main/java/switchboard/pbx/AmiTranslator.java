package switchboard.pbx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.asteriskjava.manager.event.AgentCalledEvent;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewExtenEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueCallerLeaveEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import switchboard.call.PbxSignal;

/**
 * Turns Asterisk-Java events into the core's {@link PbxSignal}s, one PBX at a time. Not thread-safe: one
 * connection's events go through one translator in the order Asterisk sent them.
 *
 * <p>A call is the inbound caller channel (Uniqueid = Linkedid, created in an inbound context); everything is
 * keyed by its Linkedid. Agent legs, Local channels and our own originated calls are ignored except for the
 * queue and dial events Asterisk publishes on the caller's channel. While the caller is in a queue, Dial
 * events are the queue ringing agents (covered by Agent* events); outside a queue they are the caller's own
 * Dial() of an extension.
 *
 * <p>{@code CallStarted} is held back until the dialplan has had its chance to set the lead source
 * ({@code SB_SOURCE}) and DID ({@code SB_DID}): it goes out with the first thing that is not variable set-up.
 */
public final class AmiTranslator {
    /** Applications that only set the call up; the start is held back across them. */
    private static final Set<String> SETUP_APPS =
            Set.of("set", "mset", "noop", "verbose", "log", "gotoif", "goto", "execif", "gosub", "gosubif", "return");
    /** Bound on calls tracked at once; a call whose hang-up we never saw is dropped oldest-first (resync covers it). */
    static final int MAX_CALLS = 100_000;

    private final String pbx;
    private final Set<String> inboundContexts;
    private final String sourceVariable;
    private final Supplier<Instant> clock;
    private final Map<String, Call> calls = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
            return size() > MAX_CALLS;
        }
    };

    /** What we know of one caller channel. */
    private static final class Call {
        final String linkedId;
        final String uniqueId;
        final Instant startedAt;
        final String callerIdNum;
        final String callerIdName;
        String did;
        String source;
        boolean announced;
        /** In progress at a resync: some of its history may be unknown to us (see {@link #isAdopted}). */
        boolean adopted;

        boolean inQueue;
        String queue;
        /** Order of first sight, compared with a resync's {@link #markResync() mark}. */
        long seenSeq;

        Call(String linkedId, String uniqueId, Instant startedAt, String callerIdNum, String callerIdName, String did) {
            this.linkedId = linkedId;
            this.uniqueId = uniqueId;
            this.startedAt = startedAt;
            this.callerIdNum = callerIdNum;
            this.callerIdName = callerIdName;
            this.did = did;
        }
    }

    public AmiTranslator(String pbx, Set<String> inboundContexts, String sourceVariable, Supplier<Instant> clock) {
        this.pbx = pbx;
        this.inboundContexts = Set.copyOf(inboundContexts);
        this.sourceVariable = sourceVariable;
        this.clock = clock;
    }

    private long seq;
    /** Whether a resync is in flight (between {@link #markResync} and {@link #resyncDone}). */
    private boolean resyncing;
    /** Caller channels we did not know that hung up while a resync was in flight (bounded). */
    private final Map<String, Instant> unknownHangups = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > 10_000;
        }
    };

    private Call track(Call call) {
        call.seenSeq = ++seq;
        calls.put(call.linkedId, call);
        return call;
    }

    /**
     * A resync is being asked for now. The channel list Asterisk answers with is a snapshot of about this moment,
     * while events keep arriving: a call first seen after the mark may be missing from the snapshot without having
     * ended, and a caller in the snapshot may hang up before we read the answer (its Hangup then names a call we do
     * not know yet). Both are handled with this mark; see {@link #endMissing} and {@link #hungUpDuringResync}.
     */
    public long markResync() {
        resyncing = true;
        unknownHangups.clear();
        return seq;
    }

    /** The resync's answer has been applied. */
    public void resyncDone() {
        resyncing = false;
        unknownHangups.clear();
    }

    /**
     * When the caller channel {@code linkedId}, unknown to us then, hung up after the resync was asked for (the
     * snapshot still lists it): it has ended and must not be adopted as live. Null otherwise.
     */
    public Instant hungUpDuringResync(String linkedId) {
        return unknownHangups.get(linkedId);
    }

    public int trackedCalls() {
        return calls.size();
    }

    /** The signals this event means; empty for the many events that mean nothing to us. */
    public List<PbxSignal> translate(ManagerEvent event) {
        if (event instanceof NewChannelEvent e) return newChannel(e);
        String linkedId = linkedIdOf(event);
        if (linkedId == null) return List.of();
        Call call = calls.get(linkedId);
        if (call == null) {
            if (resyncing && event instanceof HangupEvent h && linkedId.equals(h.getUniqueId()))
                unknownHangups.put(linkedId, timeOf(event));
            return List.of();
        }
        var out = new ArrayList<PbxSignal>(2);
        Instant at = timeOf(event);

        if (event instanceof VarSetEvent v) {
            if (!call.uniqueId.equals(v.getUniqueId())) return out;
            String name = v.getVariable() == null ? "" : v.getVariable();
            if (name.equalsIgnoreCase(sourceVariable)
                    || name.equalsIgnoreCase("__" + sourceVariable)
                    || name.equalsIgnoreCase("_" + sourceVariable)) {
                call.source = v.getValue();
            } else if (name.equalsIgnoreCase("SB_DID")
                    || name.equalsIgnoreCase("__SB_DID")
                    || name.equalsIgnoreCase("_SB_DID")) {
                if (v.getValue() != null && !v.getValue().isBlank()) call.did = v.getValue();
            } else if (name.equals("DIALSTATUS")
                    && !call.inQueue
                    && v.getValue() != null
                    && !v.getValue().isBlank()) {
                // Dial() sets DIALSTATUS when it returns. An unreachable phone gives no DialBegin/DialEnd at all, so
                // this
                // is the only word on it; after a DialEnd it repeats what we already sent (the entity ignores repeats).
                announce(call, out);
                out.add(new PbxSignal.DialEnded(pbx, linkedId, at, null, v.getValue()));
            } else if (name.equals("QUEUESTATUS") && !call.inQueue) {
                announce(call, out);
                out.add(new PbxSignal.QueueLeft(pbx, linkedId, at, call.queue, v.getValue()));
            }
            return out;
        }
        if (event instanceof NewExtenEvent x) {
            if (!call.uniqueId.equals(x.getUniqueId())) return out;
            String app = x.getApplication() == null ? "" : x.getApplication().toLowerCase();
            if (!call.announced && !SETUP_APPS.contains(app)) announce(call, out);
            if (app.equals("voicemail") && !call.adopted) {
                announce(call, out);
                out.add(new PbxSignal.VoicemailEntered(pbx, linkedId, at, x.getAppData()));
            }
            return out;
        }
        if (event instanceof QueueCallerJoinEvent q) {
            if (!call.uniqueId.equals(q.getUniqueId())) return out;
            announce(call, out);
            call.inQueue = true;
            call.queue = q.getQueue();
            out.add(new PbxSignal.QueueJoined(
                    pbx, linkedId, at, q.getQueue(), q.getPosition() == null ? 0 : q.getPosition()));
            return out;
        }
        if (event instanceof QueueCallerLeaveEvent q) {
            if (call.uniqueId.equals(q.getUniqueId()))
                call.inQueue = false; // QUEUESTATUS (VarSet) says why, if it was not an answer
            return out;
        }
        if (event instanceof AgentCalledEvent a) {
            if (!call.uniqueId.equals(a.getUniqueId())) return out;
            announce(call, out);
            out.add(new PbxSignal.AgentRinging(
                    pbx, linkedId, at, a.getQueue(), agentOf(a.getMemberName(), a.getInterface(), a.getDestChannel())));
            return out;
        }
        if (event instanceof AgentRingNoAnswerEvent a) {
            if (!call.uniqueId.equals(a.getUniqueId())) return out;
            long ms = a.getRingtime() == null ? 0 : a.getRingtime();
            out.add(new PbxSignal.AgentNoAnswer(
                    pbx,
                    linkedId,
                    at,
                    a.getQueue(),
                    agentOf(a.getMemberName(), a.getInterface(), a.getDestChannel()),
                    ms));
            return out;
        }
        if (event instanceof AgentConnectEvent a) {
            if (!call.uniqueId.equals(a.getUniqueId())) return out;
            announce(call, out);
            call.inQueue = false;
            out.add(new PbxSignal.AgentConnected(
                    pbx, linkedId, at, a.getQueue(), agentOf(a.getMemberName(), a.getInterface(), a.getDestChannel())));
            return out;
        }
        if (event instanceof DialBeginEvent d) {
            if (call.inQueue || !call.uniqueId.equals(d.getUniqueId())) return out;
            announce(call, out);
            out.add(new PbxSignal.AgentRinging(
                    pbx, linkedId, at, null, destinationOf(d.getDestChannel(), d.getDialString())));
            return out;
        }
        if (event instanceof DialEndEvent d) {
            if (call.inQueue || !call.uniqueId.equals(d.getUniqueId())) return out;
            announce(call, out);
            out.add(new PbxSignal.DialEnded(
                    pbx, linkedId, at, destinationOf(d.getDestChannel(), d.getDialString()), d.getDialStatus()));
            return out;
        }
        if (event instanceof HangupRequestEvent h) {
            if (!call.uniqueId.equals(h.getUniqueId()) || call.adopted)
                return out; // an adopted call is decided from its CDR
            announce(call, out);
            out.add(new PbxSignal.HangupRequested(pbx, linkedId, at, h.getCause() == null ? 16 : h.getCause()));
            return out;
        }
        if (event instanceof SoftHangupRequestEvent h) {
            if (!call.uniqueId.equals(h.getUniqueId()) || call.adopted) return out;
            announce(call, out);
            out.add(new PbxSignal.HangupRequested(pbx, linkedId, at, h.getCause() == null ? 16 : h.getCause()));
            return out;
        }
        if (event instanceof HangupEvent h) {
            if (!call.uniqueId.equals(h.getUniqueId())) return out;
            announce(call, out);
            out.add(new PbxSignal.Hangup(pbx, linkedId, at, h.getCause() == null ? 16 : h.getCause()));
            calls.remove(linkedId);
            return out;
        }
        if (event instanceof SwitchboardCallbackOfferEvent o) {
            // Pressed 1 at the overflow offer: the call ends without an answer, as a callback they asked for.
            if (o.pressedOne()) {
                announce(call, out);
                out.add(new PbxSignal.CallbackChosen(pbx, linkedId, at));
            }
            return out;
        }
        if (event instanceof SwitchboardAfterHoursEvent) {
            announce(call, out);
            out.add(new PbxSignal.AfterHours(pbx, linkedId, at));
            return out;
        }
        if (event instanceof SwitchboardVoicemailEvent u) {
            if (call.adopted) return out;
            announce(call, out);
            out.add(new PbxSignal.VoicemailEntered(pbx, linkedId, at, u.getMailbox()));
            return out;
        }
        return out;
    }

    private List<PbxSignal> newChannel(NewChannelEvent e) {
        String uniqueId = e.getUniqueId();
        String linkedId = e.getLinkedid();
        if (uniqueId == null || !uniqueId.equals(linkedId)) return List.of(); // a leg of an existing call
        if (e.getContext() == null || !inboundContexts.contains(e.getContext()))
            return List.of(); // not an inbound call
        if (calls.containsKey(linkedId)) return List.of();
        String did = e.getExten() == null || e.getExten().equals("s") ? null : e.getExten();
        track(new Call(linkedId, uniqueId, timeOf(e), e.getCallerIdNum(), e.getCallerIdName(), did));
        return List.of();
    }

    private void announce(Call call, List<PbxSignal> out) {
        if (call.announced) return;
        call.announced = true;
        out.add(new PbxSignal.CallStarted(
                pbx, call.linkedId, call.startedAt, call.callerIdNum, call.callerIdName, call.did, call.source));
    }

    /**
     * Adopts a caller channel that was already up when we connected (resync); returns the signals to send. What
     * happened to it before is unknown: where it is now ({@code application}: Queue, Dial, VoiceMail, …; bridged =
     * talking to someone) is all the channel list tells. A call we already followed keeps what we know of it.
     */
    public List<PbxSignal> adopt(
            String linkedId,
            String uniqueId,
            String context,
            String callerIdNum,
            String callerIdName,
            String did,
            Instant startedAt,
            String queue,
            String application,
            boolean bridged) {
        return adopt(
                linkedId,
                uniqueId,
                context,
                callerIdNum,
                callerIdName,
                did,
                null,
                startedAt,
                queue,
                application,
                bridged);
    }

    /**
     * {@code didVariable}: the channel's {@code SB_DID} (CoreShowChannel carries it as a ChanVariable). Asterisk reports
     * a channel's <em>current</em> context — {@code sb-queue-route} for a caller waiting in the queue — so a caller is
     * recognised by the DID our inbound dialplan stamped on it, or by still being in an inbound context.
     */
    public List<PbxSignal> adopt(
            String linkedId,
            String uniqueId,
            String context,
            String callerIdNum,
            String callerIdName,
            String did,
            String didVariable,
            Instant startedAt,
            String queue,
            String application,
            boolean bridged) {
        boolean stamped = didVariable != null && !didVariable.isBlank();
        if (stamped) did = didVariable;
        if (uniqueId == null
                || !uniqueId.equals(linkedId)
                || context == null
                || !(stamped || inboundContexts.contains(context))) return List.of();
        var out = new ArrayList<PbxSignal>(2);
        Call call = calls.get(linkedId);
        boolean fresh = call == null;
        if (fresh) {
            call = track(new Call(linkedId, uniqueId, startedAt, callerIdNum, callerIdName, did));
        }
        // Fresh or not, events of this call may have been lost while we were blind (a queue join, an answer):
        // its outcome is decided from its CDR record when it ends, not from what we happened to see.
        call.adopted = true;
        announce(call, out);
        Instant now = clock.get();
        if (queue != null && !call.inQueue && !bridged) {
            call.inQueue = true;
            call.queue = queue;
            out.add(new PbxSignal.QueueJoined(pbx, linkedId, startedAt, queue, 0));
        }
        if (fresh && bridged) {
            out.add(new PbxSignal.AgentConnected(pbx, linkedId, now, queue, null)); // talking to someone: answered
        } else if (fresh && "dial".equalsIgnoreCase(application)) {
            out.add(new PbxSignal.AgentRinging(pbx, linkedId, now, null, null));
        }
        return out;
    }

    /**
     * The link is lost: every call we follow may lose events in the gap (a queue join, an answer), and its
     * hang-up may arrive after the reconnect but before the resync answer. Decide each from its CDR record.
     */
    public void adoptAll() {
        for (Call call : calls.values()) call.adopted = true;
    }

    /**
     * Whether a call was first seen at a resync, or was on the line when the link was lost. Its end is decided from Asterisk's CDR record of it (which has
     * the whole story) rather than from the hang-up alone; see AmiEventRouter and Resync.
     */
    public boolean isAdopted(String linkedId) {
        Call call = calls.get(linkedId);
        return call != null && call.adopted;
    }

    /**
     * Calls we tracked before the resync's {@code mark} whose channel is not in {@code liveLinkedIds}: they ended
     * while we were not listening. A call first seen after the mark may simply have started after the snapshot.
     */
    public List<PbxSignal> endMissing(Set<String> liveLinkedIds, Instant at, long mark) {
        var out = new ArrayList<PbxSignal>();
        for (var it = calls.values().iterator(); it.hasNext(); ) {
            Call call = it.next();
            if (liveLinkedIds.contains(call.linkedId) || call.seenSeq > mark) continue;
            announce(call, out);
            out.add(new PbxSignal.Hangup(pbx, call.linkedId, at, 16));
            it.remove();
        }
        return out;
    }

    private Instant timeOf(ManagerEvent e) {
        Double ts = e.getTimestamp();
        if (ts == null) return clock.get();
        long micros = Math.round(ts * 1_000_000d);
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }

    private static String agentOf(String memberName, String iface, String destChannel) {
        if (iface != null && !iface.isBlank()) return iface;
        if (memberName != null && !memberName.isBlank()) return memberName;
        return destChannel;
    }

    private static String destinationOf(String destChannel, String dialString) {
        if (destChannel != null && !destChannel.isBlank()) {
            int dash = destChannel.lastIndexOf('-');
            return dash > 0 ? destChannel.substring(0, dash) : destChannel; // PJSIP/101-0000002a → PJSIP/101
        }
        return dialString;
    }

    /** Linkedid of an event, whatever its class calls the getter. */
    static String linkedIdOf(ManagerEvent e) {
        if (e instanceof VarSetEvent v) return v.getLinkedId();
        if (e instanceof NewExtenEvent v) return v.getLinkedId();
        if (e instanceof QueueCallerJoinEvent v) return v.getLinkedId();
        if (e instanceof QueueCallerLeaveEvent v) return v.getLinkedId();
        if (e instanceof AgentCalledEvent v) return v.getLinkedId();
        if (e instanceof AgentRingNoAnswerEvent v) return v.getLinkedId();
        if (e instanceof AgentConnectEvent v) return v.getLinkedId();
        if (e instanceof DialBeginEvent v) return v.getLinkedId();
        if (e instanceof DialEndEvent v) return v.getLinkedId();
        if (e instanceof HangupRequestEvent v) return v.getLinkedId();
        if (e instanceof SoftHangupRequestEvent v) return v.getLinkedId();
        if (e instanceof HangupEvent v) return v.getLinkedId();
        if (e instanceof SwitchboardAfterHoursEvent u) return u.getLinkedid();
        if (e instanceof SwitchboardCallbackOfferEvent u) return u.callLinkedId();
        if (e instanceof SwitchboardVoicemailEvent u) return u.getLinkedid();
        return null;
    }
}
