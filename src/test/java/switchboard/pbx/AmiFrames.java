package switchboard.pbx;

import java.time.Instant;

/** AMI event frames as Asterisk 22 writes them (CRLF, blank line after each), for the simulator-driven tests. */
final class AmiFrames {
    private AmiFrames() {}

    static String ts(Instant t) {
        return String.format("%d.%06d", t.getEpochSecond(), t.getNano() / 1000);
    }

    static String frame(String event, String privilege, Instant t, String... headers) {
        var sb = new StringBuilder("Event: ")
                .append(event)
                .append("\r\nPrivilege: ")
                .append(privilege)
                .append(",all\r\nTimestamp: ")
                .append(ts(t))
                .append("\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        return sb.append("\r\n").toString();
    }

    /** The caller channel's snapshot headers. */
    static String[] caller(String uid, String num, String did, String context, String... more) {
        String[] base = {
            "Channel: PJSIP/carrier-" + uid.replace('.', '0'),
            "ChannelState: 6",
            "ChannelStateDesc: Up",
            "CallerIDNum: " + num,
            "CallerIDName: CALLER",
            "ConnectedLineNum: <unknown>",
            "ConnectedLineName: <unknown>",
            "Language: en",
            "AccountCode: ",
            "Context: " + context,
            "Exten: " + did,
            "Priority: 1",
            "Uniqueid: " + uid,
            "Linkedid: " + uid
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Reference sequence (a): answered into a queue, an agent rings, the caller hangs up. */
    static String queueAbandon(String uid, String num, String did, Instant t0, int holdSeconds) {
        Instant t = t0;
        return frame("Newchannel", "call", t, caller(uid, num, did, "from-carrier"))
                + frame(
                        "VarSet",
                        "dialplan",
                        t.plusMillis(2),
                        caller(uid, num, did, "from-carrier", "Variable: __SB_SOURCE", "Value: LSA"))
                + frame(
                        "Newexten",
                        "dialplan",
                        t.plusMillis(3),
                        caller(uid, num, did, "from-carrier", "Extension: " + did, "Application: Answer", "AppData: "))
                + frame(
                        "Newexten",
                        "dialplan",
                        t.plusMillis(500),
                        caller(
                                uid,
                                num,
                                did,
                                "from-carrier",
                                "Extension: " + did,
                                "Application: Queue",
                                "AppData: service,r,,,30"))
                + frame(
                        "QueueCallerJoin",
                        "agent",
                        t.plusMillis(501),
                        caller(uid, num, did, "from-carrier", "Queue: service", "Position: 1", "Count: 1"))
                + frame(
                        "AgentCalled",
                        "agent",
                        t.plusMillis(505),
                        caller(
                                uid,
                                num,
                                did,
                                "from-carrier",
                                "DestChannel: PJSIP/201-00000002",
                                "DestUniqueid: " + uid + "1",
                                "DestLinkedid: " + uid,
                                "Queue: service",
                                "Interface: PJSIP/201",
                                "MemberName: PJSIP/201"))
                + frame(
                        "DialBegin",
                        "call",
                        t.plusMillis(505),
                        caller(
                                uid,
                                num,
                                did,
                                "from-carrier",
                                "DestChannel: PJSIP/201-00000002",
                                "DestUniqueid: " + uid + "1",
                                "DestLinkedid: " + uid,
                                "DialString: PJSIP/201"))
                + frame(
                        "HangupRequest",
                        "call",
                        t.plusSeconds(holdSeconds),
                        caller(uid, num, did, "from-carrier", "Cause: 16"))
                + frame(
                        "DialEnd",
                        "call",
                        t.plusSeconds(holdSeconds).plusMillis(1),
                        caller(
                                uid,
                                num,
                                did,
                                "from-carrier",
                                "DestChannel: PJSIP/201-00000002",
                                "DestUniqueid: " + uid + "1",
                                "DestLinkedid: " + uid,
                                "DialStatus: CANCEL"))
                + frame(
                        "QueueCallerAbandon",
                        "agent",
                        t.plusSeconds(holdSeconds).plusMillis(2),
                        caller(
                                uid,
                                num,
                                did,
                                "from-carrier",
                                "Queue: service",
                                "Position: 1",
                                "OriginalPosition: 1",
                                "HoldTime: " + holdSeconds))
                + frame(
                        "QueueCallerLeave",
                        "agent",
                        t.plusSeconds(holdSeconds).plusMillis(2),
                        caller(uid, num, did, "from-carrier", "Queue: service", "Position: 1", "Count: 0"))
                + frame(
                        "Hangup",
                        "call",
                        t.plusSeconds(holdSeconds).plusMillis(5),
                        caller(uid, num, did, "from-carrier", "Cause: 16", "Cause-txt: Normal Clearing"));
    }
}
