package switchboard.tools.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server that speaks the AMI wire protocol the way Asterisk 22 does, enough for Asterisk-Java to log in
 * and stay connected: banner, {@code Challenge} + MD5 {@code Login} (or {@code Secret}), {@code CoreSettings},
 * {@code Ping}, {@code Logoff}, {@code Events}, the {@code CoreShowChannels} / {@code QueueStatus} event lists,
 * {@code ActionID} echo, CRLF framing. Other actions go to an {@link ActionHandler} ({@link PbxSimulator} answers
 * Originate, Redirect, Setvar, QueueStatus, CoreShowChannels). Events are pushed by the caller ({@link #send}) —
 * recorded transcripts, generated call paths, or deliberate garbage — and, like Asterisk, each session only gets
 * the event classes its user may read and its login's {@code Events:} mask asked for. Loopback only.
 */
public final class AmiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiServer.class);
    public static final String BANNER = "Asterisk Call Manager/11.0.0";

    private final ServerSocket server;
    private final String user;
    private final String secret;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private volatile Supplier<String> liveChannels = () -> "";
    private volatile ActionHandler handler = (action, reply) -> false;
    private volatile int readPermission = EventMask.ALL;
    private volatile boolean refusing;
    private final Thread acceptor;

    public AmiServer(int port, String user, String secret) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.user = user;
        this.secret = secret;
        this.acceptor = new Thread(this::acceptLoop, "ami-sim-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Raw CoreShowChannel event frames (without the list wrapper) answered to CoreShowChannels. */
    public void liveChannels(Supplier<String> frames) {
        this.liveChannels = frames;
    }

    /**
     * Answers actions beyond the login chatter. Called on the session's reader thread in the order the client
     * sent them; it must not block. Returns false for an action it does not know (the server then answers
     * Asterisk's "Invalid/unknown command").
     */
    public interface ActionHandler {
        boolean handle(AmiAction action, Reply reply);
    }

    /** The session an action came from. */
    public interface Reply {
        /** A response ({@code Response:}, the echoed {@code ActionID}, {@code Message:}, then {@code extra} lines). */
        void respond(AmiAction action, String response, String message, String... extra);

        /** Raw bytes to this session only, unfiltered (action replies, list items). */
        void write(String raw);

        /** An event list as Asterisk writes it: the response, the items (complete frames, ActionID in place), the Complete event. */
        void list(AmiAction action, String message, List<String> items, String completeEvent);
    }

    public void actionHandler(ActionHandler handler) {
        this.handler = handler;
    }

    /**
     * The AMI user's {@code read =} classes (manager.conf), e.g. {@code system,call,agent,user,dialplan}: events of
     * other classes never reach its sessions. Default: all.
     */
    public void readPermission(String classes) {
        Integer mask = EventMask.parse(classes);
        this.readPermission = mask == null ? EventMask.ALL : mask;
    }

    /** Sessions that have logged in. */
    public int loggedIn() {
        return (int) sessions.stream().filter(s -> s.authenticated).count();
    }

    /**
     * Writes raw text (one or more CRLF-framed messages, or garbage) to every logged-in session, each getting only
     * the events its read permission and {@code Events:} mask let through (text without a {@code Privilege:}
     * header always passes).
     */
    public void send(String raw) {
        Frames frames = null;
        for (var s : sessions) {
            if (!s.authenticated) continue;
            int mask = s.events & readPermission;
            if (mask == EventMask.ALL) {
                s.write(raw);
                continue;
            }
            if (frames == null) frames = new Frames(raw);
            String filtered = frames.filter(mask);
            if (!filtered.isEmpty()) s.write(filtered);
        }
    }

    /** A batch split into messages once, with each message's event classes, to filter it per session. */
    private static final class Frames {
        private final String raw;
        private final List<int[]> spans = new ArrayList<>(); // start, end, classes (-1 = no Privilege header)

        Frames(String raw) {
            this.raw = raw;
            int start = 0;
            while (start < raw.length()) {
                int end = raw.indexOf("\r\n\r\n", start);
                end = end < 0 ? raw.length() : end + 4;
                spans.add(new int[] {start, end, classes(raw, start, end)});
                start = end;
            }
        }

        private static int classes(String raw, int start, int end) {
            int p = raw.indexOf("\r\nPrivilege: ", start);
            if (p < 0 || p >= end) return -1;
            int from = p + 13;
            int to = raw.indexOf('\r', from);
            return EventMask.ofPrivilege(raw.substring(from, to < 0 || to > end ? end : to));
        }

        String filter(int mask) {
            var sb = new StringBuilder(raw.length());
            for (int[] s : spans) if (s[2] < 0 || EventMask.passes(s[2], mask)) sb.append(raw, s[0], s[1]);
            return sb.toString();
        }
    }

    /** While refusing, new connections are closed at once (a PBX or network that is down). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Closes every session's socket abruptly: a link cut as the client sees it. */
    public void dropConnections() {
        for (var s : sessions) s.close();
        sessions.clear();
    }

    @Override
    public void close() throws IOException {
        dropConnections();
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                if (refusing) {
                    socket.close();
                    continue;
                }
                var session = new Session(socket);
                sessions.add(session);
                var t = new Thread(session::run, "ami-sim-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) log.warn("AMI simulator accept failed: {}", e.toString());
            }
        }
    }

    /** One client connection. */
    private final class Session {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean authenticated;
        /** The login's Events: mask (Asterisk's send_events; all until the login or an Events action says otherwise). */
        private volatile int events = EventMask.ALL;

        private String challenge;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void write(String raw) {
            try {
                out.write(raw.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        void run() {
            try (var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                write(BANNER + "\r\n");
                var headers = new ArrayList<Map.Entry<String, String>>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!headers.isEmpty()) handle(new AmiAction(headers));
                        headers = new ArrayList<>();
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0)
                        headers.add(Map.entry(
                                line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).trim()));
                }
            } catch (IOException e) {
                // client went away
            } finally {
                sessions.remove(this);
                close();
            }
        }

        private void handle(AmiAction a) {
            String name = a.name().toLowerCase(Locale.ROOT);
            String id = a.actionId();
            switch (name) {
                case "challenge" -> {
                    challenge = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
                    respond(id, "Success", null, "Challenge: " + challenge);
                }
                case "login" -> {
                    boolean ok = user.equals(a.get("username"))
                            && (secret.equals(a.get("secret"))
                                    || (challenge != null
                                            && md5(challenge + secret).equals(a.get("key"))));
                    if (!ok) {
                        respond(id, "Error", "Authentication failed");
                        close();
                        return;
                    }
                    Integer mask = EventMask.parse(a.get("events"));
                    if (mask != null) events = mask;
                    authenticated = true;
                    respond(id, "Success", "Authentication accepted");
                    if (EventMask.passes(EventMask.ofPrivilege("system"), events & readPermission)) {
                        write(
                                "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 100\r\nLastReload: 100\r\nStatus: Fully Booted\r\n\r\n");
                    }
                }
                case "logoff" -> {
                    respond(id, "Goodbye", "Thanks for all the fish.");
                    close();
                }
                default -> {
                    if (!authenticated) {
                        respond(id, "Error", "Permission denied");
                        return;
                    }
                    if (handler.handle(a, reply)) return;
                    switch (name) {
                        case "ping" ->
                            respond(
                                    id,
                                    "Success",
                                    null,
                                    "Ping: Pong",
                                    "Timestamp: " + System.currentTimeMillis() / 1000.0);
                        case "coresettings" ->
                            respond(
                                    id,
                                    "Success",
                                    null,
                                    "AMIversion: 11.0.0",
                                    "AsteriskVersion: 22.10.1",
                                    "SystemName: ",
                                    "CoreMaxCalls: 0",
                                    "CoreMaxLoadAvg: 0.000000",
                                    "CoreRunUser: asterisk",
                                    "CoreRunGroup: asterisk",
                                    "CoreMaxFilehandles: 0",
                                    "CoreRealTimeEnabled: No",
                                    "CoreCDRenabled: Yes",
                                    "CoreHTTPenabled: No");
                        case "events" -> {
                            // action_events: set_eventmask, then "Events: On" for a mask > 0, "Off" for 0, else an
                            // error
                            Integer mask = EventMask.parse(a.get("eventmask"));
                            if (mask == null) {
                                respond(id, "Error", "Invalid event mask");
                            } else {
                                events = mask;
                                respond(id, "Success", null, "Events: " + (mask > 0 ? "On" : "Off"));
                            }
                        }
                        case "coreshowchannels" ->
                            list(id, "Channels will follow", liveChannels.get(), "CoreShowChannelsComplete");
                        case "queuestatus" -> list(id, "Queue status will follow", "", "QueueStatusComplete");
                        default ->
                            respond(
                                    id,
                                    "Error",
                                    "Invalid/unknown command: " + a.name()
                                            + ". Use Action: ListCommands to show available commands.");
                    }
                }
            }
        }

        private final Reply reply = new Reply() {
            @Override
            public void respond(AmiAction action, String response, String message, String... extra) {
                Session.this.respond(action.actionId(), response, message, extra);
            }

            @Override
            public void write(String raw) {
                Session.this.write(raw);
            }

            @Override
            public void list(AmiAction action, String message, List<String> items, String completeEvent) {
                Session.this.listVerbatim(
                        action.actionId(), message, String.join("", items), items.size(), completeEvent);
            }
        };

        /** An event list: items get the ActionID appended (the default CoreShowChannels / QueueStatus answers). */
        private void list(String id, String message, String items, String completeEvent) {
            var sb = new StringBuilder();
            int n = 0;
            for (String frame : items.split("\r\n\r\n")) {
                if (frame.isBlank()) continue;
                n++;
                sb.append(frame.strip()).append("\r\n");
                if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
                sb.append("\r\n");
            }
            listVerbatim(id, message, sb.toString(), n, completeEvent);
        }

        /**
         * astman_send_listack ({@code Response}, {@code ActionID}, {@code EventList: start}, {@code Message}), the
         * items as given, then astman_send_list_complete ({@code Event}, {@code ActionID}, {@code EventList: Complete},
         * {@code ListItems}), in one write so nothing interleaves.
         */
        private void listVerbatim(String id, String message, String items, int count, String completeEvent) {
            var sb = new StringBuilder("Response: Success\r\n");
            if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
            sb.append("EventList: start\r\nMessage: ").append(message).append("\r\n\r\n");
            sb.append(items);
            sb.append("Event: ").append(completeEvent).append("\r\n");
            if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
            sb.append("EventList: Complete\r\nListItems: ").append(count).append("\r\n\r\n");
            write(sb.toString());
        }

        private void respond(String id, String response, String message, String... extra) {
            var sb = new StringBuilder("Response: ").append(response).append("\r\n");
            if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
            if (message != null) sb.append("Message: ").append(message).append("\r\n");
            for (String e : extra) sb.append(e).append("\r\n");
            write(sb.append("\r\n").toString());
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
