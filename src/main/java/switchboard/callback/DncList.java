package switchboard.callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import switchboard.common.DecisionLogic;
import switchboard.lead.PhoneNumbers;

/**
 * Numbers that must never be called back, in E.164. Checked before every dial. Thread-safe (the HTTP API adds
 * and removes while the governor reads). Imported from a file of one number per line; every line that is not a
 * number is reported with its line number, never silently skipped. Numbers listed through the API are stored
 * ({@link DncEntity}) and loaded here at start and every few seconds ({@link #addStored}).
 */
@DecisionLogic
public final class DncList {
    private final Set<String> numbers = ConcurrentHashMap.newKeySet();
    private final String defaultRegion;

    /** A line of an import that could not be read. */
    public record Rejected(int line, String text, String problem) {}

    /** What an import did. */
    public record Import(int added, int alreadyListed, List<Rejected> rejected) {}

    public DncList(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /** The E.164 form of a number in any format the region understands, or an error naming the input's problem. */
    public String normalise(String raw) {
        var p = PhoneNumbers.parse(raw, defaultRegion);
        if (!p.ok())
            throw new IllegalArgumentException(
                    "not a callable phone number (" + p.problem() + "): " + PhoneNumbers.mask(raw));
        return p.e164();
    }

    /** Adds a number (any format the region understands); the E.164 form, or an error naming the input's problem. */
    public String add(String raw) {
        String e164 = normalise(raw);
        numbers.add(e164);
        return e164;
    }

    /** Removes a number; whether it was listed. */
    public boolean remove(String raw) {
        var p = PhoneNumbers.parse(raw, defaultRegion);
        return p.ok() && numbers.remove(p.e164());
    }

    /**
     * The stored numbers (E.164), at start and on every refresh. Only ever adds: a number taken off on another node
     * stays off-limits here until this node restarts — erring towards not calling.
     */
    public void addStored(Set<String> e164s) {
        numbers.addAll(e164s);
    }

    public boolean contains(String e164) {
        return e164 != null && numbers.contains(e164);
    }

    public int size() {
        return numbers.size();
    }

    /** Imports the text of a DNC file: one number per line; blank lines and lines starting with '#' are skipped. */
    public Import importLines(String text) {
        int added = 0, listed = 0, n = 0;
        var rejected = new ArrayList<Rejected>();
        for (String line : text.split("\r?\n", -1)) {
            n++;
            String s = line.strip();
            int comment = s.indexOf('#');
            if (comment >= 0) s = s.substring(0, comment).strip();
            if (s.isEmpty()) continue;
            var p = PhoneNumbers.parse(s, defaultRegion);
            if (!p.ok()) {
                rejected.add(new Rejected(n, PhoneNumbers.mask(s), p.problem()));
                continue;
            }
            if (numbers.add(p.e164())) added++;
            else listed++;
        }
        return new Import(added, listed, List.copyOf(rejected));
    }
}
