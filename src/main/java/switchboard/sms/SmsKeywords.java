package switchboard.sms;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import switchboard.common.DecisionLogic;

/**
 * What a customer's text asks for, by its keyword: stop texting me, start again, help — or none of these (a
 * reply to read for its content).
 *
 * <p>The keywords are issue 18's list, which covers the FCC's per-se revocation words (47 CFR 64.1200(a)(10):
 * stop, quit, end, revoke, opt out, cancel, unsubscribe) and the carriers' usual ones: {@code STOP},
 * {@code STOPALL}, {@code UNSUBSCRIBE}, {@code CANCEL}, {@code END}, {@code QUIT}, {@code REVOKE}, {@code OPTOUT},
 * {@code OPT OUT}; {@code START}, {@code UNSTOP} resume; {@code HELP} asks for help. A keyword counts in any case,
 * alone or as the first word of the text ("Stop texting me", "stop."), with punctuation around it ignored — so
 * "opt-out" is {@code OPT OUT}. A keyword later in the text ("please don't stop") does not count: that is read as a
 * reply, and a person sees it. Pure.
 */
@DecisionLogic
public final class SmsKeywords {

    public enum Intent {
        /** Revoke: store it before anything else, send one confirmation, nothing after it. */
        OPT_OUT,
        /** Resume texts after an opt-out. */
        OPT_IN,
        HELP,
        /** No keyword: a reply. */
        NONE
    }

    /** The verdict, with the keyword as matched (upper case, e.g. {@code OPT OUT}); keyword null for NONE. */
    public record Match(Intent intent, String keyword) {}

    static final Set<String> OPT_OUT =
            Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT");
    static final Set<String> OPT_IN = Set.of("START", "UNSTOP");
    static final Set<String> HELP = Set.of("HELP");

    private SmsKeywords() {}

    public static Match classify(String body) {
        List<String> words = words(body, 2);
        if (words.isEmpty()) return new Match(Intent.NONE, null);
        // The two-word keyword first: "OPT OUT" would otherwise be read as "OPT", which is nothing.
        if (words.size() >= 2) {
            String two = words.get(0) + " " + words.get(1);
            if (OPT_OUT.contains(two)) return new Match(Intent.OPT_OUT, two);
        }
        String first = words.get(0);
        if (OPT_OUT.contains(first)) return new Match(Intent.OPT_OUT, first);
        if (OPT_IN.contains(first)) return new Match(Intent.OPT_IN, first);
        if (HELP.contains(first)) return new Match(Intent.HELP, first);
        return new Match(Intent.NONE, null);
    }

    /**
     * The first {@code max} words of the text, upper case: letters and digits, anything else a separator. Accents
     * are folded (a phone's autocorrect may send "Stóp"); a null or blank text has none.
     */
    static List<String> words(String text, int max) {
        if (text == null) return List.of();
        // Only the start matters: a 2,000-character reply costs no more than a short one.
        String head = text.strip();
        if (head.length() > 64) head = head.substring(0, 64);
        String folded = Normalizer.normalize(head, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toUpperCase(Locale.ROOT);
        String[] parts = folded.split("[^\\p{L}\\p{Nd}]+");
        var out = new java.util.ArrayList<String>(max);
        for (String p : parts) {
            if (p.isEmpty()) continue;
            out.add(p);
            if (out.size() == max) break;
        }
        return out;
    }
}
