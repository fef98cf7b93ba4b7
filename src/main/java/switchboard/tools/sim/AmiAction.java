package switchboard.tools.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One AMI action as a client wrote it. Keys are case-insensitive (Asterisk-Java writes them in lower case)
 * and may repeat ({@code Variable:} once per variable), so they are kept in order, keys lower-cased.
 */
public record AmiAction(List<Map.Entry<String, String>> headers) {
    public AmiAction {
        headers = List.copyOf(headers);
    }

    /** The action name as written ({@code Originate}), or "" without one. */
    public String name() {
        String n = get("action");
        return n == null ? "" : n;
    }

    /** The first value of {@code key}, or null; like Asterisk's {@code astman_get_header}, "" counts as absent. */
    public String get(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (var e : headers) if (e.getKey().equals(k)) return e.getValue().isEmpty() ? null : e.getValue();
        return null;
    }

    /** Every value of a repeated key, in order. */
    public List<String> all(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        var out = new ArrayList<String>();
        for (var e : headers) if (e.getKey().equals(k)) out.add(e.getValue());
        return out;
    }

    public String actionId() {
        return get("actionid");
    }
}
