package switchboard.tools.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real Asterisk 22 did after a {@code Redirect} of a caller waiting in the service queue to
 * {@code sb-overflow} (recording {@code actions-queue-redirect.ami}): the caller leaves the queue (the ringing
 * agents are cancelled), runs the overflow context, the office answers, the caller later hangs up. A copy is
 * made for a live simulated caller: its Uniqueid/Linkedid, channel, number, DID and lead source; its own live
 * agent legs in place of the recorded ones (events about recorded legs it does not have are left out); fresh
 * ids for the channels created after the Redirect. Played from the moment of the Redirect at the recorded pace.
 */
final class Redirects {
    private static final Pattern ID_HEADER =
            Pattern.compile("(?m)^(Uniqueid|Linkedid|DestUniqueid|DestLinkedid|BridgeUniqueid): (\\S+)(?=\\r)");
    private static final Pattern CHANNEL = Pattern.compile("(?:PJSIP|Local|SIP|IAX2|DAHDI)/[^\\s,;|]*?-[0-9a-f]{8}");
    private static final AtomicLong SEQ = new AtomicLong(5_000_000);
    private static final AtomicLong CHANNEL_SEQ = new AtomicLong(0x20000);

    private final List<ActionRecording.Message> after = new ArrayList<>();
    private final long t0;
    private final String recCaller;
    private final String recCallerChannel;
    private final String recCallerNum;
    private final String recDid;
    private final String recSource;
    private final String recContext;
    private final String recQueue; // the queue the recorded caller waited in
    private final Map<String, String> preLegPrefix =
            new HashMap<>(); // recorded uniqueid -> channel prefix ("PJSIP/201-")
    private final Map<String, String> preLegChannel = new HashMap<>(); // recorded uniqueid -> channel name
    private final List<String> cdr = new ArrayList<>();
    private final boolean answered;

    Redirects(ActionRecording rec) {
        int reply = rec.indexOfResponse("rec-redirect");
        if (reply < 0) throw new IllegalStateException(rec.name() + ": no Redirect reply");
        String caller = null, callerChannel = null, num = null, did = null;
        for (int i = 0; i < reply; i++) {
            var m = rec.messages().get(i);
            if (!m.isEvent("Newchannel")) continue;
            if (caller == null && "from-carrier".equals(m.header("Context"))) {
                caller = m.header("Uniqueid");
                callerChannel = m.header("Channel");
                num = m.header("CallerIDNum");
                did = m.header("Exten");
            } else {
                String ch = m.header("Channel");
                preLegPrefix.put(m.header("Uniqueid"), ch.substring(0, ch.length() - 8));
                preLegChannel.put(m.header("Uniqueid"), ch);
            }
        }
        this.recCaller = caller;
        this.recCallerChannel = callerChannel;
        this.recCallerNum = num;
        this.recDid = did;
        this.t0 = rec.messages().get(reply).micros();
        String source = null;
        for (var m : rec.messages()) {
            String v = m.header("ChanVariable");
            if (v != null && v.startsWith("SB_SOURCE=") && v.length() > 10) source = v.substring(10);
        }
        this.recSource = source;
        String context = null;
        boolean ans = false;
        for (var m : rec.eventsAfter("rec-redirect", "rec-redirect")) {
            after.add(m);
            if (m.isEvent("AgentConnect")) ans = true;
            if (context == null && m.isEvent("Newexten") && caller.equals(m.header("Uniqueid")))
                context = m.header("Context");
        }
        this.recContext = context;
        String queue = null;
        for (int i = 0; i < reply; i++)
            if (rec.messages().get(i).isEvent("QueueCallerJoin"))
                queue = rec.messages().get(i).header("Queue");
        this.recQueue = queue;
        this.answered = ans;
        try {
            for (String l :
                    ActionRecording.resource("actions-queue-redirect.cdr.csv").split("\n"))
                if (!l.isBlank()) cdr.add(l.strip());
        } catch (IllegalStateException e) {
            // no CDR lines recorded
        }
    }

    /** The outcome Switchboard must give the redirected call: what the recording shows. */
    CallTemplate.Expected expected(PbxSimulator.Play play) {
        var e = play.call.expected();
        if (e == null) return null;
        return answered ? new CallTemplate.Expected("answered", null, e.source(), false) : e;
    }

    CallTemplate.Instance continuation(
            PbxSimulator.Play play,
            LiveChannels.Channel caller,
            String context,
            String exten,
            int priority,
            Instant now) {
        var call = play.call;
        String linkedId = call.linkedId();
        long epoch = now.getEpochSecond();
        var ids = new HashMap<String, String>();
        var names = new HashMap<String, String>();
        ids.put(recCaller, caller.uniqueid);
        names.put(recCallerChannel, caller.name);
        // the live call's own agent legs stand in for the recorded ones with the same endpoint
        var liveLegs = new HashMap<String, LiveChannels.Channel>();
        for (var c : LiveChannels.of(call.frames(), play.sent)) {
            if (c.uniqueid.equals(caller.uniqueid)) continue;
            liveLegs.putIfAbsent(c.name.substring(0, Math.max(0, c.name.length() - 8)), c);
        }
        var dropped = new java.util.HashSet<String>();
        for (var e : preLegPrefix.entrySet()) {
            var live = liveLegs.get(e.getValue());
            if (live == null) {
                dropped.add(e.getKey());
            } else {
                ids.put(e.getKey(), live.uniqueid);
                names.put(preLegChannel.get(e.getKey()), live.name);
            }
        }
        String did = LiveChannels.header(caller.snapshot, "Exten");
        String firstDid = CallTemplate.header(call.frames().get(0).text(), "Exten");
        if (firstDid != null) did = firstDid;
        String source = call.expected() == null ? null : call.expected().source();
        boolean skipToNewContext =
                caller.queue == null; // not in a queue: nothing to leave, start where the new context starts
        var frames = new ArrayList<CallTemplate.Instance.Frame>();
        Instant prev = now;
        for (var m : after) {
            if (skipToNewContext) {
                if (m.isEvent("Newexten") && recCaller.equals(m.header("Uniqueid"))) skipToNewContext = false;
                else continue;
            }
            if (dropped.contains(m.header("Uniqueid")) || dropped.contains(m.header("DestUniqueid"))) continue;
            if (caller.queue == null
                    && recQueue != null
                    && recQueue.equals(m.header("Queue"))
                    && recCaller.equals(m.header("Uniqueid"))) continue; // it was in no queue to leave
            String t = m.text();
            var idm = ID_HEADER.matcher(t);
            var sb = new StringBuilder();
            while (idm.find()) {
                String fresh = ids.computeIfAbsent(
                        idm.group(2),
                        old -> idm.group(1).equals("BridgeUniqueid")
                                ? java.util.UUID.randomUUID().toString()
                                : epoch + "." + SEQ.incrementAndGet());
                idm.appendReplacement(sb, Matcher.quoteReplacement(idm.group(1) + ": " + fresh));
            }
            idm.appendTail(sb);
            var cm = CHANNEL.matcher(sb);
            var sb2 = new StringBuilder();
            while (cm.find()) {
                String rec = cm.group();
                String fresh = names.computeIfAbsent(
                        rec,
                        r -> r.substring(0, r.length() - 8) + String.format("%08x", CHANNEL_SEQ.incrementAndGet()));
                cm.appendReplacement(sb2, Matcher.quoteReplacement(fresh));
            }
            cm.appendTail(sb2);
            t = sb2.toString();
            if (recCallerNum != null) t = t.replace(recCallerNum, call.callerNumber());
            if (recDid != null && did != null) t = t.replace(recDid, did);
            if (recSource != null && source != null)
                t = t.replace("SB_SOURCE=" + recSource + "\r\n", "SB_SOURCE=" + source + "\r\n");
            if (recContext != null && context != null)
                t = t.replace("Context: " + recContext + "\r\n", "Context: " + context + "\r\n");
            Instant at = now.plusNanos((m.micros() - t0) * 1000);
            if (at.isBefore(prev)) at = prev;
            prev = at;
            t = t.replaceFirst("(?m)^Timestamp: \\d+\\.\\d{6}(?=\\r)", "Timestamp: " + PbxActions.ts(at));
            boolean callerHangup =
                    t.startsWith("Event: Hangup\r\n") && linkedId.equals(CallTemplate.header(t, "Uniqueid"));
            frames.add(new CallTemplate.Instance.Frame(at, t, callerHangup));
        }
        long shift = cdr.isEmpty() ? 0 : micros(call.frames().get(0).at()) - minCdrStart();
        var lines = new ArrayList<String>();
        for (String l : cdr) lines.add(CallTemplate.rewriteCdr(l, ids, call.callerNumber(), shift));
        return new CallTemplate.Instance(
                linkedId, call.callerNumber(), List.copyOf(frames), List.copyOf(lines), expected(play));
    }

    private long minCdrStart() {
        long min = Long.MAX_VALUE;
        for (String l : cdr) {
            String[] p = CallTemplate.csv(l).get(2).split("\\.");
            min = Math.min(
                    min,
                    Long.parseLong(p[0]) * 1_000_000
                            + (p.length > 1 ? Long.parseLong((p[1] + "000000").substring(0, 6)) : 0));
        }
        return min;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }
}
