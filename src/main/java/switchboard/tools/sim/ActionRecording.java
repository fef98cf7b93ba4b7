package switchboard.tools.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code ami-transcripts/actions-<name>.ami} recording (src/test/lab/record-actions.sh): what the real
 * Asterisk 22 lab sent a client logged in as {@code switchboard} that sent AMI actions — the replies and the
 * events, in order, as received. The simulator takes its replies and event sequences from these.
 */
public record ActionRecording(String name, List<Message> messages) {

    /** One message; {@code micros} = its {@code Timestamp} (epoch µs), or the previous message's for replies. */
    public record Message(String text, long micros) {
        public boolean isEvent(String event) {
            return text.startsWith("Event: " + event + "\r\n");
        }

        public boolean isResponse() {
            return text.startsWith("Response: ");
        }

        public String header(String name) {
            return CallTemplate.header(text, name);
        }
    }

    private static final Pattern TIMESTAMP = Pattern.compile("(?m)^Timestamp: (\\d+)\\.(\\d{6})(?=\\r)");

    public static ActionRecording load(String name) {
        String raw = resource("actions-" + name + ".ami");
        var out = new ArrayList<Message>();
        long last = 0;
        for (String part : raw.split("\r\n\r\n")) {
            String text = part.strip();
            if (!text.startsWith("Event:") && !text.startsWith("Response:")) continue;
            text = text + "\r\n\r\n";
            var ts = TIMESTAMP.matcher(text);
            if (ts.find()) last = Long.parseLong(ts.group(1)) * 1_000_000 + Long.parseLong(ts.group(2));
            out.add(new Message(text, last));
        }
        return new ActionRecording(name, List.copyOf(out));
    }

    /** Index of the reply with this ActionID, or -1. */
    public int indexOfResponse(String actionId) {
        for (int i = 0; i < messages.size(); i++) {
            var m = messages.get(i);
            if (m.isResponse() && actionId.equals(m.header("ActionID"))) return i;
        }
        return -1;
    }

    public Message response(String actionId) {
        int i = indexOfResponse(actionId);
        if (i < 0) throw new IllegalStateException(name + ": no reply to " + actionId);
        return messages.get(i);
    }

    /** The list items (events carrying this ActionID) that answered a list action, without the Complete event. */
    public List<Message> listItems(String actionId, String itemEvent) {
        var out = new ArrayList<Message>();
        for (var m : messages) if (m.isEvent(itemEvent) && actionId.equals(m.header("ActionID"))) out.add(m);
        return out;
    }

    /** Events after the reply to {@code actionId} that are not answers to actions (no ActionID, or the given one). */
    public List<Message> eventsAfter(String actionId, String ownActionId) {
        var out = new ArrayList<Message>();
        int from = indexOfResponse(actionId);
        if (from < 0) throw new IllegalStateException(name + ": no reply to " + actionId);
        for (int i = from + 1; i < messages.size(); i++) {
            var m = messages.get(i);
            if (m.isResponse()) continue;
            if (m.isEvent("FullyBooted")) continue;
            String id = m.header("ActionID");
            if (id != null && !id.equals(ownActionId)) continue; // list items and Completes of other actions
            out.add(m);
        }
        return out;
    }

    static String resource(String name) {
        try (InputStream in = ActionRecording.class.getClassLoader().getResourceAsStream("ami-transcripts/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource ami-transcripts/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
