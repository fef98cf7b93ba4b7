package switchboard.tools.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's answers to Originate, Redirect, Setvar, QueueStatus and CoreShowChannels: the checks,
 * replies and event sequences of the real Asterisk 22 lab (main/manager.c action_originate / action_redirect /
 * action_setvar, apps/app_queue.c manager_queues_status), taken from the recordings in
 * {@code ami-transcripts/actions-*.ami}. Runs on the AMI session threads; never blocks except where Asterisk
 * blocks the session too (a non-async Originate).
 */
final class PbxActions implements AmiServer.ActionHandler {
    private final PbxSimulator pbx;
    private volatile CalleeModel callees = CalleeModel.typical(1);
    /** The recordings, loaded at the first action that needs them (a simulator that only plays calls never reads them). */
    private volatile Recordings rec;

    private final AtomicLong originates = new AtomicLong();
    private final AtomicLong redirectCount = new AtomicLong();
    private final AtomicInteger liveOriginated = new AtomicInteger();
    private final AtomicInteger maxOriginated = new AtomicInteger();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** When the first accepted Originate to each number arrived (benchmarks: miss → first attempt, on the PBX's side). */
    private final Map<String, Instant> firstOriginate = new ConcurrentHashMap<>();

    private static final AtomicLong UNIQUE = new AtomicLong();

    PbxActions(PbxSimulator pbx) {
        this.pbx = pbx;
    }

    private record Recordings(
            Map<CalleeModel.Behaviour, OriginateScript> scripts,
            ActionRecording errors,
            ActionRecording queueRedirect,
            Redirects redirects) {
        static Recordings load() {
            var queueRedirect = ActionRecording.load("queue-redirect");
            return new Recordings(
                    Map.of(
                            CalleeModel.Behaviour.ANSWER,
                            script(CalleeModel.Behaviour.ANSWER, "originate-answered", "answered"),
                            CalleeModel.Behaviour.BUSY,
                            script(CalleeModel.Behaviour.BUSY, "originate-busy", "busy"),
                            CalleeModel.Behaviour.NO_ANSWER,
                            script(CalleeModel.Behaviour.NO_ANSWER, "originate-noanswer", "noanswer"),
                            CalleeModel.Behaviour.CONGESTION,
                            script(CalleeModel.Behaviour.CONGESTION, "originate-congestion", "congestion"),
                            CalleeModel.Behaviour.FAILURE,
                            script(CalleeModel.Behaviour.FAILURE, "originate-failure", "failure")),
                    ActionRecording.load("errors"),
                    queueRedirect,
                    new Redirects(queueRedirect));
        }

        private static OriginateScript script(CalleeModel.Behaviour b, String recording, String kind) {
            return new OriginateScript(b, ActionRecording.load(recording), kind);
        }
    }

    private Recordings rec() {
        var r = rec;
        if (r == null) {
            synchronized (this) {
                if (rec == null) rec = Recordings.load();
                r = rec;
            }
        }
        return r;
    }

    void calleeModel(CalleeModel model) {
        this.callees = model;
    }

    long originatesReceived() {
        return originates.get();
    }

    int liveOriginated() {
        return liveOriginated.get();
    }

    int maxConcurrentOriginated() {
        return maxOriginated.get();
    }

    long redirectsReceived() {
        return redirectCount.get();
    }

    Instant firstOriginateAt(String number) {
        return firstOriginate.get(number);
    }

    int originatesTo(String number) {
        var n = attempts.get(number);
        return n == null ? 0 : n.get();
    }

    void originateEnded() {
        liveOriginated.decrementAndGet();
    }

    @Override
    public boolean handle(AmiAction a, AmiServer.Reply reply) {
        switch (a.name().toLowerCase(Locale.ROOT)) {
            case "originate" -> originate(a, reply);
            case "redirect" -> redirect(a, reply);
            case "setvar" -> setvar(a, reply);
            case "queuestatus" -> queueStatus(a, reply);
            case "coreshowchannels" -> coreShowChannels(a, reply);
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- Originate

    private void originate(AmiAction a, AmiServer.Reply reply) {
        originates.incrementAndGet();
        String channel = a.get("channel");
        String priority = a.get("priority");
        String timeout = a.get("timeout");
        String context = a.get("context");
        String exten = a.get("exten");
        String app = a.get("application");
        boolean async = truthy(a.get("async"));
        // the checks of action_originate, in its order
        if (channel == null) {
            reply.respond(a, "Error", "Channel not specified");
            return;
        }
        int pi = 0;
        if (priority != null) {
            try {
                pi = Integer.parseInt(priority.strip());
            } catch (NumberFormatException e) {
                reply.respond(a, "Error", "Invalid priority");
                return;
            }
        }
        long to = 30_000;
        if (timeout != null) {
            try {
                to = Long.parseLong(timeout.strip());
            } catch (NumberFormatException e) {
                reply.respond(a, "Error", "Invalid timeout");
                return;
            }
        }
        if (channel.indexOf('/') < 0) {
            reply.respond(a, "Error", "Invalid channel");
            return;
        }
        if (app == null && pi > 0 && !Dialplan.exists(context, exten)) {
            reply.respond(a, "Error", "Extension does not exist.");
            return;
        }
        if (!async && app == null && (context == null || exten == null || pi == 0)) {
            reply.respond(a, "Error", recordedMessage("rec-e4"));
            return;
        }
        String[] cid = callerId(a.get("callerid"));
        var vars = new ArrayList<String[]>();
        for (String v : a.all("variable")) {
            for (String part : v.split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) vars.add(new String[] {part.substring(0, eq).strip(), part.substring(eq + 1)});
            }
        }
        String channelId = a.get("channelid");
        Instant now = Instant.now();
        if (channelId == null) channelId = now.getEpochSecond() + "." + (900_000 + UNIQUE.incrementAndGet());
        var request = new OriginateScript.Request(
                a.actionId(),
                channelId,
                channel,
                cid[1],
                cid[0],
                context == null ? "" : context,
                exten == null ? "" : exten,
                vars,
                to,
                app,
                a.get("data"));
        String number = OriginateScript.number(channel);
        firstOriginate.putIfAbsent(number, now);
        var decision = callees.decide(
                number,
                attempts.computeIfAbsent(number, n -> new AtomicInteger()).getAndIncrement());
        var script = rec().scripts().get(decision.behaviour());
        if (async) {
            reply.respond(a, "Success", "Originate successfully queued");
            start(script, request, decision, now, true);
            return;
        }
        // Not async: Asterisk answers only when the callee has answered or failed, and this session waits with it.
        start(script, request, decision, now, false);
        long waitMs = decision.behaviour() == CalleeModel.Behaviour.NO_ANSWER
                ? to
                : decision.delay().toMillis();
        try {
            Thread.sleep(Math.max(0, waitMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (decision.behaviour() == CalleeModel.Behaviour.ANSWER)
            reply.respond(a, "Success", "Originate successfully queued");
        else reply.respond(a, "Error", recordedMessage("rec-e5"));
    }

    private void start(
            OriginateScript script,
            OriginateScript.Request r,
            CalleeModel.Decision d,
            Instant now,
            boolean withResponse) {
        var frames = script.instantiate(r, d, now, withResponse);
        if (frames.isEmpty()) return;
        int n = liveOriginated.incrementAndGet();
        maxOriginated.accumulateAndGet(n, Math::max);
        pbx.schedule(
                new CallTemplate.Instance(r.channelId(), r.callerNum(), frames, List.of(), null),
                PbxSimulator.Kind.ORIGINATED);
    }

    /** ast_callerid_parse: {@code "Name" <number>}, {@code Name <number>} or a bare number: [name, number]. */
    static String[] callerId(String cid) {
        if (cid == null) return new String[] {null, null};
        int lt = cid.indexOf('<');
        int gt = cid.indexOf('>', lt + 1);
        if (lt >= 0 && gt > lt) {
            String name = cid.substring(0, lt).strip();
            if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2)
                name = name.substring(1, name.length() - 1);
            return new String[] {
                name.isEmpty() ? null : name, cid.substring(lt + 1, gt).strip()
            };
        }
        return cid.strip().matches("[+0-9*#]+") ? new String[] {null, cid.strip()} : new String[] {cid.strip(), null};
    }

    private String recordedMessage(String recId) {
        return rec().errors().response(recId).header("Message");
    }

    static boolean truthy(String v) {
        if (v == null) return false;
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "y", "t", "1", "on" -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------------------------------------- Redirect

    private void redirect(AmiAction a, AmiServer.Reply reply) {
        redirectCount.incrementAndGet();
        String name = a.get("channel");
        if (name == null) {
            reply.respond(a, "Error", recordedMessage("rec-e7"));
            return;
        }
        String priority = a.get("priority");
        int pi = 0;
        if (priority != null) {
            try {
                pi = Integer.parseInt(priority.strip());
            } catch (NumberFormatException e) {
                reply.respond(a, "Error", "Invalid priority");
                return;
            }
        }
        var target = find(name);
        if (target == null) {
            reply.respond(a, "Error", "Channel does not exist: " + name);
            return;
        }
        reply.respond(a, "Success", "Redirect successful");
        if (target.play().kind != PbxSimulator.Kind.ORIGINATED
                && target.channel().uniqueid.equals(target.play().call.linkedId())) {
            synchronized (pbx) {
                var redirects = rec().redirects();
                var cont = redirects.continuation(
                        target.play(), target.channel(), a.get("context"), a.get("exten"), pi, Instant.now());
                pbx.supersede(target.play(), cont, redirects.expected(target.play()));
            }
        }
        // Other channels (agent legs, originated channels): accepted as Asterisk does; no recorded sequence to play.
    }

    // ---------------------------------------------------------------------------------------------- Setvar

    private void setvar(AmiAction a, AmiServer.Reply reply) {
        String var = a.get("variable");
        if (var == null) {
            reply.respond(a, "Error", recordedMessage("rec-e9"));
            return;
        }
        String name = a.get("channel");
        String value = a.all("value").isEmpty() ? "" : a.all("value").get(0);
        if (name == null) { // a global variable: no channel, no channel event
            reply.respond(a, "Success", "Variable Set");
            return;
        }
        var target = find(name);
        if (target == null) {
            reply.respond(a, "Error", recordedMessage("rec-e8"));
            return;
        }
        reply.respond(a, "Success", "Variable Set");
        Instant now = Instant.now();
        pbx.broadcast("Event: VarSet\r\nPrivilege: dialplan,all\r\nTimestamp: " + ts(now) + "\r\n"
                + target.channel().snapshot + "Variable: " + var + "\r\nValue: " + value + "\r\n\r\n");
    }

    // ---------------------------------------------------------------------------------------------- lists

    private void queueStatus(AmiAction a, AmiServer.Reply reply) {
        String only = a.get("queue");
        String id = a.actionId();
        Instant now = Instant.now();
        var waiting = new ArrayList<LiveChannels.Channel>();
        for (var p : plays())
            for (var c : LiveChannels.of(p.call.frames(), p.sent)) if (c.queue != null) waiting.add(c);
        waiting.sort(Comparator.comparing(c -> c.joined));
        var errors = rec().errors();
        var busy = rec().queueRedirect(); // recorded while a caller waited in service
        var items = new ArrayList<String>();
        for (var params : errors.listItems("rec-e10", "QueueParams")) {
            String queue = params.header("Queue");
            if (only != null && !only.equals(queue)) continue;
            var inQueue = waiting.stream().filter(c -> queue.equals(c.queue)).toList();
            var recorded = inQueue.isEmpty() ? errors : busy;
            String recId = inQueue.isEmpty() ? "rec-e10" : "rec-queuestatus";
            var p = find(recorded.listItems(recId, "QueueParams"), queue, params);
            items.add(withId(p.text(), recId, id).replaceFirst("(?m)^Calls: \\d+", "Calls: " + inQueue.size()));
            for (var m : recorded.listItems(recId, "QueueMember"))
                if (queue.equals(m.header("Queue"))) items.add(withId(m.text(), recId, id));
            var entryTemplate =
                    busy.listItems("rec-queuestatus", "QueueEntry").get(0).text();
            int pos = 0;
            for (var c : inQueue) {
                pos++;
                String e = entryTemplate;
                e = set(e, "Queue", queue);
                e = set(e, "Position", Integer.toString(pos));
                e = set(e, "Channel", c.name);
                e = set(e, "Uniqueid", c.uniqueid);
                // app_queue writes S_OR(..., "unknown") here, not the snapshot's "<unknown>" (recorded)
                e = set(e, "CallerIDNum", unknown(LiveChannels.header(c.snapshot, "CallerIDNum")));
                e = set(e, "CallerIDName", unknown(LiveChannels.header(c.snapshot, "CallerIDName")));
                e = set(e, "ConnectedLineNum", unknown(LiveChannels.header(c.snapshot, "ConnectedLineNum")));
                e = set(e, "ConnectedLineName", unknown(LiveChannels.header(c.snapshot, "ConnectedLineName")));
                e = set(e, "Wait", Long.toString(Duration.between(c.joined, now).toSeconds()));
                items.add(withId(e, "rec-queuestatus", id));
            }
        }
        reply.list(a, errors.response("rec-e10").header("Message"), items, "QueueStatusComplete");
    }

    private static ActionRecording.Message find(
            List<ActionRecording.Message> items, String queue, ActionRecording.Message fallback) {
        for (var m : items) if (queue.equals(m.header("Queue"))) return m;
        return fallback;
    }

    private void coreShowChannels(AmiAction a, AmiServer.Reply reply) {
        String id = a.actionId();
        Instant now = Instant.now();
        var items = new ArrayList<String>();
        for (var p : plays()) {
            for (var c : LiveChannels.of(p.call.frames(), p.sent)) {
                var sb = new StringBuilder("Event: CoreShowChannel\r\n");
                if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
                sb.append(c.snapshot)
                        .append("Application: ")
                        .append(c.application)
                        .append("\r\nApplicationData: ")
                        .append(c.applicationData)
                        .append("\r\nDuration: ")
                        .append(hms(Duration.between(c.created, now)))
                        .append("\r\nBridgeId: ")
                        .append(c.bridgeId)
                        .append("\r\n\r\n");
                items.add(sb.toString());
            }
        }
        reply.list(a, rec().errors().response("rec-e11").header("Message"), items, "CoreShowChannelsComplete");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    record Target(PbxSimulator.Play play, LiveChannels.Channel channel) {}

    /** A live channel by name or Uniqueid (ast_channel_get_by_name accepts both); the latest-started one wins. */
    private Target find(String nameOrId) {
        Target found = null;
        for (var p : plays()) {
            if (p.superseded) continue;
            if (p.kind != PbxSimulator.Kind.ORIGINATED && !pbx.callerLive(p.call.linkedId())) continue;
            for (var c : LiveChannels.of(p.call.frames(), p.sent)) {
                if (nameOrId.equals(c.uniqueid) || nameOrId.equalsIgnoreCase(c.name)) {
                    if (found == null || c.created.isAfter(found.channel().created)) found = new Target(p, c);
                }
            }
        }
        return found;
    }

    private List<PbxSimulator.Play> plays() {
        var out = new ArrayList<PbxSimulator.Play>(pbx.inboundPlays().values());
        out.addAll(pbx.originatedPlays().values());
        out.removeIf(p -> p.superseded || p.sent == 0);
        return out;
    }

    private static String withId(String text, String recId, String id) {
        return id == null
                ? text.replace("ActionID: " + recId + "\r\n", "")
                : text.replace("ActionID: " + recId + "\r\n", "ActionID: " + id + "\r\n");
    }

    static String set(String frame, String header, String value) {
        return frame.replaceFirst(
                "(?m)^" + header + ": [^\\r\\n]*",
                java.util.regex.Matcher.quoteReplacement(header + ": " + (value == null ? "" : value)));
    }

    private static String unknown(String v) {
        return v == null || v.isEmpty() || v.equals("<unknown>") ? "unknown" : v;
    }

    static String ts(Instant t) {
        return String.format("%d.%06d", t.getEpochSecond(), t.getNano() / 1000);
    }

    private static String hms(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
