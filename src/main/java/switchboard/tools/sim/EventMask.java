package switchboard.tools.sim;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asterisk's event classes as bits ({@code main/manager.c}: {@code perms[]}, {@code strings_to_mask}). An
 * event goes to a session only if every class of its {@code Privilege:} header is both in the user's read
 * permission and in the login's {@code Events:} mask ({@code process_events}).
 */
final class EventMask {
    private EventMask() {}

    static final String[] CLASSES = {
        "system",
        "call",
        "log",
        "verbose",
        "command",
        "agent",
        "user",
        "config",
        "dtmf",
        "reporting",
        "cdr",
        "dialplan",
        "originate",
        "agi",
        "cc",
        "aoc",
        "test",
        "security",
        "message"
    };
    static final int ALL = Integer.MAX_VALUE;
    private static final Map<String, Integer> PRIVILEGE_CACHE = new ConcurrentHashMap<>();

    /**
     * The mask of an {@code Events:} value as {@code strings_to_mask} reads it: digits = a numeric mask;
     * off/no/false = 0; on/yes/true = all; else the classes named in a comma list ("all" = all). Null for an
     * empty value (Asterisk then leaves the mask as it was).
     */
    static Integer parse(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return ALL;
            }
        }
        if (v.equals("off") || v.equals("no") || v.equals("false") || v.equals("n") || v.equals("f") || v.equals("0"))
            return 0;
        if (v.equals("on") || v.equals("yes") || v.equals("true") || v.equals("y") || v.equals("t") || v.equals("1"))
            return ALL;
        int mask = 0;
        for (String part : v.split(",")) {
            String c = part.strip();
            if (c.equals("all")) return ALL;
            for (int i = 0; i < CLASSES.length; i++) if (CLASSES[i].equals(c)) mask |= 1 << i;
        }
        return mask;
    }

    /** The classes of a {@code Privilege:} value ({@code call,all} = call): "all" is appended to every event. */
    static int ofPrivilege(String privilege) {
        return PRIVILEGE_CACHE.computeIfAbsent(privilege, p -> {
            int mask = 0;
            for (String part : p.split(",")) {
                String c = part.strip().toLowerCase(Locale.ROOT);
                for (int i = 0; i < CLASSES.length; i++) if (CLASSES[i].equals(c)) mask |= 1 << i;
            }
            return mask;
        });
    }

    /** Whether an event of these classes passes a session's effective mask. */
    static boolean passes(int eventClasses, int sessionMask) {
        return (eventClasses & sessionMask) == eventClasses;
    }
}
