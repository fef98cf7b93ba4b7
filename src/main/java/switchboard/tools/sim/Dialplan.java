package switchboard.tools.sim;

import java.util.List;
import java.util.Map;

/**
 * The contexts and extensions of {@code asterisk-config/extensions.conf}, so an Originate to an extension that
 * does not exist is refused as Asterisk refuses it ({@code ast_exists_extension}). Keep in step with that file.
 */
final class Dialplan {
    private Dialplan() {}

    private static final List<String> DID = List.of("_[+0-9].");
    static final Map<String, List<String>> EXTENSIONS = Map.ofEntries(
            Map.entry(
                    "from-carrier",
                    List.of(
                            "+18005550100",
                            "+18005550101",
                            "+18005550102",
                            "+18005550103",
                            "+18005550104",
                            "+18005550105",
                            "+18005550106",
                            "_1NXXNXXXXXX",
                            "_NXXNXXXXXX",
                            "_+X.",
                            "_X.")),
            Map.entry("sb-start", DID),
            Map.entry("sb-queue-route", DID),
            Map.entry("sb-ivr", List.of("_[+0-9].", "_X", "t", "i")),
            Map.entry("sb-direct-route", DID),
            Map.entry("sb-after-hours", DID),
            Map.entry("sb-voicemail", DID),
            Map.entry("sb-hangup", List.of("s")),
            Map.entry("from-internal", List.of("_[12]XX", "600")),
            Map.entry("sb-callback", List.of("s")),
            Map.entry("sb-overflow", DID));

    static boolean exists(String context, String exten) {
        if (context == null || exten == null) return false;
        var list = EXTENSIONS.get(context);
        if (list == null) return false;
        for (String p : list) if (matches(p, exten)) return true;
        return false;
    }

    /** Asterisk extension patterns: {@code _} then X (0-9), Z (1-9), N (2-9), [..] sets, '.' (1+ any), '!' (0+ any). */
    static boolean matches(String pattern, String exten) {
        if (!pattern.startsWith("_")) return pattern.equals(exten);
        return match(pattern, 1, exten, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        if (pi == p.length()) return si == s.length();
        char c = p.charAt(pi);
        if (c == '.') return si < s.length();
        if (c == '!') return true;
        if (si == s.length()) return false;
        char x = s.charAt(si);
        switch (c) {
            case 'X', 'x' -> {
                if (x < '0' || x > '9') return false;
                return match(p, pi + 1, s, si + 1);
            }
            case 'Z', 'z' -> {
                if (x < '1' || x > '9') return false;
                return match(p, pi + 1, s, si + 1);
            }
            case 'N', 'n' -> {
                if (x < '2' || x > '9') return false;
                return match(p, pi + 1, s, si + 1);
            }
            case '[' -> {
                int end = p.indexOf(']', pi);
                boolean in = false;
                for (int i = pi + 1; i < end; i++) {
                    if (i + 2 < end && p.charAt(i + 1) == '-') {
                        if (x >= p.charAt(i) && x <= p.charAt(i + 2)) in = true;
                        i += 2;
                    } else if (p.charAt(i) == x) in = true;
                }
                return in && match(p, end + 1, s, si + 1);
            }
            default -> {
                return c == x && match(p, pi + 1, s, si + 1);
            }
        }
    }
}
