package switchboard.tools.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The events a real Asterisk 22 sent after accepting one async {@code Originate}, recorded in the lab
 * ({@code actions-originate-<outcome>.ami}), made into a copy for another request: the client's ActionID,
 * ChannelId (the originated channel's Uniqueid and Linkedid), dialled channel, caller ID, context, exten and
 * variables; fresh ids and channel-name suffixes for every other channel; and the callee model's timing —
 * the recorded sequence is stretched so that {@code OriginateResponse} comes after the callee's delay (for no
 * answer: after the Originate's Timeout) and an answered callee hangs up after its talk time.
 */
final class OriginateScript {
    private static final Pattern ID_HEADER =
            Pattern.compile("(?m)^(Uniqueid|Linkedid|DestUniqueid|DestLinkedid|BridgeUniqueid): (\\S+)(?=\\r)");
    private static final Pattern CHANNEL_SUFFIX =
            Pattern.compile("((?:PJSIP|Local|SIP|IAX2|DAHDI)/[^\\s,;|]*?-)([0-9a-f]{8})");
    private static final Pattern TIMESTAMP = Pattern.compile("(?m)^Timestamp: \\d+\\.\\d{6}(?=\\r)");
    private static final AtomicLong CHANNEL_SEQ = new AtomicLong(0x10000);
    private static final AtomicLong ID_SEQ = new AtomicLong();

    final CalleeModel.Behaviour behaviour;
    private final List<ActionRecording.Message> events;
    private final String recActionId;
    private final String recChannelId;
    private final String recDialled; // the Channel: of the recorded Originate, e.g. PJSIP/+19195550201@customer
    private final String recNumber; // its number part
    private final String recCallerNum;
    private final String recCallerName;
    private final List<String> recVariables; // names
    private final int responseIndex;
    private final int hangupIndex; // the originated channel's HangupRequest (answered) or -1

    /** The recorded request, as record-actions.sh sends it. */
    OriginateScript(CalleeModel.Behaviour behaviour, ActionRecording rec, String kind) {
        this.behaviour = behaviour;
        this.recActionId = "rec-" + kind;
        this.recChannelId = "sbcb-" + kind;
        this.events = rec.eventsAfter(recActionId, recActionId);
        String dialled = null;
        for (var m : events) if (m.isEvent("OriginateResponse")) dialled = m.header("Channel");
        int ri = -1;
        for (int i = 0; i < events.size(); i++) if (events.get(i).isEvent("OriginateResponse") && ri < 0) ri = i;
        if (ri < 0) throw new IllegalStateException(rec.name() + ": no OriginateResponse");
        this.responseIndex = ri;
        var resp = events.get(ri);
        this.recCallerNum = resp.header("CallerIDNum");
        this.recCallerName = resp.header("CallerIDName");
        // the dialled string and number as record-actions.sh sent them (read back from its .actions file)
        String actions = ActionRecording.resource("actions-" + rec.name() + ".ami.actions");
        this.recDialled = header(actions, "Channel");
        this.recNumber = recDialled.substring(
                recDialled.indexOf('/') + 1, recDialled.contains("@") ? recDialled.indexOf('@') : recDialled.length());
        var vars = new ArrayList<String>();
        for (String v : headers(actions, "Variable")) vars.add(v.substring(0, v.indexOf('=')));
        this.recVariables = List.copyOf(vars);
        int hi = -1;
        for (int i = ri + 1; i < events.size() && hi < 0; i++) {
            var m = events.get(i);
            if ((m.isEvent("HangupRequest") || m.isEvent("Hangup")) && recChannelId.equals(m.header("Uniqueid")))
                hi = i;
        }
        this.hangupIndex = hi;
        if (dialled == null) throw new IllegalStateException(rec.name() + ": OriginateResponse without Channel");
    }

    /** The client's request, as the simulator needs it. */
    record Request(
            String actionId,
            String channelId,
            String dialled,
            String callerNum,
            String callerName,
            String context,
            String exten,
            List<String[]> variables,
            long timeoutMs,
            String application,
            String data) {}

    /** Whether the recorded sequence ends with the originated channel's Hangup (it had a channel at all). */
    boolean hasChannel() {
        for (var m : events) if (m.isEvent("Newchannel")) return true;
        return false;
    }

    /**
     * The copy: frames at their new times from {@code start} (the moment the Originate was accepted). Without
     * {@code withResponse} (a non-async Originate) the {@code OriginateResponse} is left out.
     */
    List<CallTemplate.Instance.Frame> instantiate(
            Request r, CalleeModel.Decision d, Instant start, boolean withResponse) {
        long epoch = start.getEpochSecond();
        var ids = new HashMap<String, String>();
        ids.put(recChannelId, r.channelId());
        var suffixes = new HashMap<String, String>();
        long t0 = events.get(0).micros();
        long recResponse = events.get(responseIndex).micros() - t0;
        long target = switch (d.behaviour()) {
            case NO_ANSWER -> r.timeoutMs() * 1000;
            default -> d.delay().toNanos() / 1000;
        };
        double scale = recResponse <= 0 ? 1 : (double) target / recResponse;
        long recHangup = hangupIndex < 0 ? -1 : events.get(hangupIndex).micros() - t0;
        long talkUntil = target + d.talk().toNanos() / 1000;
        var out = new ArrayList<CallTemplate.Instance.Frame>();
        long prev = 0;
        boolean varsDone = false;
        for (int i = 0; i < events.size(); i++) {
            var m = events.get(i);
            long rec = m.micros() - t0;
            long at;
            if (i <= responseIndex) at = Math.round(rec * scale);
            else if (hangupIndex < 0 || i < hangupIndex)
                at = Math.min(target + (rec - recResponse), hangupIndex < 0 ? Long.MAX_VALUE : talkUntil);
            else at = talkUntil + (rec - recHangup);
            at = Math.max(at, prev);
            prev = at;
            if (i == responseIndex && !withResponse) continue;
            String text = m.text();
            if (m.isEvent("VarSet")
                    && recVariables.contains(m.header("Variable"))
                    && recChannelId.equals(m.header("Uniqueid"))) {
                if (varsDone) continue;
                varsDone = true; // the client's variables take the place of the recorded ones, one VarSet each,
                // last first: Asterisk sets them in reverse order (astman_get_variables_order(m, ORDER_REVERSE),
                // recorded)
                var reversed = new ArrayList<>(r.variables());
                java.util.Collections.reverse(reversed);
                for (String[] kv : reversed) {
                    String v = text.replaceFirst(
                                    "(?m)^Variable: [^\\r\\n]*", Matcher.quoteReplacement("Variable: " + kv[0]))
                            .replaceFirst("(?m)^Value: [^\\r\\n]*", Matcher.quoteReplacement("Value: " + kv[1]));
                    out.add(frame(rewrite(v, r, ids, suffixes, epoch), start, at));
                }
                continue;
            }
            out.add(frame(rewrite(text, r, ids, suffixes, epoch), start, at));
        }
        return out;
    }

    private static CallTemplate.Instance.Frame frame(String text, Instant start, long atMicros) {
        Instant at = start.plusNanos(atMicros * 1000);
        String stamped = TIMESTAMP
                .matcher(text)
                .replaceFirst(String.format("Timestamp: %d.%06d", at.getEpochSecond(), at.getNano() / 1000));
        return new CallTemplate.Instance.Frame(at, stamped, false);
    }

    private String rewrite(String text, Request r, Map<String, String> ids, Map<String, String> suffixes, long epoch) {
        String t = text;
        t = r.actionId() == null
                ? t.replace("ActionID: " + recActionId + "\r\n", "")
                : t.replace("ActionID: " + recActionId + "\r\n", "ActionID: " + r.actionId() + "\r\n");
        t = t.replace(recDialled, r.dialled());
        if (t.startsWith("Event: OriginateResponse\r\n") && r.application() != null) {
            t = t.replaceFirst(
                    "(?m)^Context: [^\\r\\n]*\\r\\nExten: [^\\r\\n]*",
                    Matcher.quoteReplacement(
                            "Application: " + r.application() + "\r\nData: " + (r.data() == null ? "" : r.data())));
        }
        var idm = ID_HEADER.matcher(t);
        var sb = new StringBuilder();
        while (idm.find()) {
            String fresh = ids.computeIfAbsent(
                    idm.group(2),
                    old -> idm.group(1).equals("BridgeUniqueid")
                            ? UUID.randomUUID().toString()
                            : epoch + "." + ID_SEQ.incrementAndGet());
            idm.appendReplacement(sb, Matcher.quoteReplacement(idm.group(1) + ": " + fresh));
        }
        idm.appendTail(sb);
        var cm = CHANNEL_SUFFIX.matcher(sb);
        var sb2 = new StringBuilder();
        while (cm.find()) {
            String fresh =
                    suffixes.computeIfAbsent(cm.group(2), old -> String.format("%08x", CHANNEL_SEQ.incrementAndGet()));
            cm.appendReplacement(sb2, Matcher.quoteReplacement(cm.group(1) + fresh));
        }
        cm.appendTail(sb2);
        t = sb2.toString();
        if (recNumber != null && !recNumber.isEmpty()) t = t.replace(recNumber, number(r.dialled()));
        if (recCallerNum != null && !recCallerNum.equals("<unknown>"))
            t = t.replace(recCallerNum, r.callerNum() == null ? "<unknown>" : r.callerNum());
        if (recCallerName != null && !recCallerName.equals("<unknown>"))
            t = t.replace(
                    ": " + recCallerName + "\r\n",
                    ": " + (r.callerName() == null ? "<unknown>" : r.callerName()) + "\r\n");
        // the originate's context and exten (the channel's own "from-internal,s" before it answers stays as recorded)
        t = t.replace(
                        "Context: sb-callback\r\nExten: s\r\n",
                        "Context: " + r.context() + "\r\nExten: " + r.exten() + "\r\n")
                .replace("Context: sb-callback\r\n", "Context: " + r.context() + "\r\n");
        return t;
    }

    static String number(String dialled) {
        int slash = dialled.indexOf('/');
        int at = dialled.indexOf('@');
        return dialled.substring(slash + 1, at > slash ? at : dialled.length());
    }

    private static String header(String text, String name) {
        var m = Pattern.compile("(?mi)^" + name + ": ?(.*?)\\r?$").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static List<String> headers(String text, String name) {
        var m = Pattern.compile("(?mi)^" + name + ": ?(.*?)\\r?$").matcher(text);
        var out = new ArrayList<String>();
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
