package switchboard.tools.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The channels a simulated call has on the line right now, read back from the frames already sent (so the
 * state answered to CoreShowChannels, QueueStatus, Setvar and Redirect is exactly what the client was told).
 * Computed on demand: nothing extra happens per frame on the hot path.
 */
final class LiveChannels {
    private LiveChannels() {}

    /** One live channel: its last snapshot (the header block Asterisk puts on each of its events) and where it is. */
    static final class Channel {
        String uniqueid;
        String linkedid;
        String name;
        String snapshot = "";
        String application = "";
        String applicationData = "";
        String bridgeId = "";
        Instant created;
        String queue; // the queue it waits in, or null
        Instant joined;
    }

    /** The channels created and not yet hung up in {@code frames[0..sent)}, in creation order. */
    static List<Channel> of(List<CallTemplate.Instance.Frame> frames, int sent) {
        var byId = new LinkedHashMap<String, Channel>();
        var queueLegs = new java.util.HashSet<String>();
        for (int i = 0; i < sent && i < frames.size(); i++) {
            var f = frames.get(i);
            String t = f.text();
            String event = t.substring(7, t.indexOf('\r'));
            if (event.equals("AgentCalled")) queueLegs.add(CallTemplate.header(t, "DestUniqueid"));
            if (event.equals("DialBegin")) {
                // a dialled leg runs no dialplan; Asterisk lists it with the dialling app (its Newexten is filtered
                // out)
                var leg = byId.get(CallTemplate.header(t, "DestUniqueid"));
                if (leg != null && leg.application.isEmpty()) {
                    leg.application = queueLegs.contains(leg.uniqueid) ? "AppQueue" : "AppDial";
                    leg.applicationData = "(Outgoing Line)";
                }
            }
            String uid = CallTemplate.header(t, "Uniqueid");
            if (uid == null) continue;
            if (event.equals("Newchannel")) {
                var c = new Channel();
                c.uniqueid = uid;
                c.linkedid = CallTemplate.header(t, "Linkedid");
                c.name = CallTemplate.header(t, "Channel");
                c.created = f.at();
                byId.put(uid, c);
            }
            var c = byId.get(uid);
            if (c == null) continue;
            if (event.equals("Hangup")) {
                byId.remove(uid);
                continue;
            }
            String snap = snapshot(t);
            if (snap != null) c.snapshot = snap;
            switch (event) {
                case "Newexten" -> {
                    c.application = nz(CallTemplate.header(t, "Application"));
                    c.applicationData = nz(CallTemplate.header(t, "AppData"));
                }
                case "BridgeEnter" -> c.bridgeId = nz(CallTemplate.header(t, "BridgeUniqueid"));
                case "BridgeLeave" -> c.bridgeId = "";
                case "QueueCallerJoin" -> {
                    c.queue = CallTemplate.header(t, "Queue");
                    c.joined = f.at();
                }
                case "QueueCallerLeave" -> c.queue = null;
                default -> {}
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * The channel snapshot block of an event: from its first {@code Channel:} line through {@code Linkedid:} and
     * the {@code ChanVariable:} lines after it (main/manager_channels.c ast_manager_build_channel_state_string).
     */
    static String snapshot(String frame) {
        int start = frame.indexOf("\r\nChannel: ");
        if (start < 0) return null;
        int linked = frame.indexOf("\r\nLinkedid: ", start);
        if (linked < 0) return null;
        int end = frame.indexOf("\r\n", linked + 2);
        while (frame.startsWith("\r\nChanVariable: ", end)) end = frame.indexOf("\r\n", end + 2);
        return frame.substring(start + 2, end + 2);
    }

    static String header(String snapshot, String name) {
        return CallTemplate.header(snapshot, name);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
