package switchboard.sms;

import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import switchboard.common.DecisionLogic;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu;

/**
 * Reads a customer's text for what the interview would have asked: a five-digit ZIP, the service they need (mapped
 * to the contractor's menu) and how urgent it is. Returns the lead's {@link Qualification} with channel
 * {@code SMS}; whether the ZIP is in the service area is left to the qualification desk (it owns the area). What is
 * not found stays null — a text that says nothing useful gives an empty qualification. Pure.
 *
 * <p>Words are matched whole, case and accents folded, punctuation ignored ("No A/C!!" is "no a c"). When several
 * services are named, the one named first wins. Urgency: any emergency word beats "soon", which beats "quote".
 */
@DecisionLogic
public final class ReplyReader {

    /** Urgent: the words, and their close variants. "gas" alone counts (a smell of gas is not a quote). */
    static final List<String> EMERGENCY = List.of(
            "no heat",
            "no heating",
            "no ac",
            "no a c",
            "no air",
            "no cooling",
            "no cool",
            "not cooling",
            "not heating",
            "leak",
            "leaking",
            "leaks",
            "flood",
            "flooded",
            "flooding",
            "sparks",
            "sparking",
            "spark",
            "gas",
            "burst",
            "emergency",
            "smoke",
            "no power",
            "no hot water");

    /**
     * "gas" followed by one of these is an appliance ("gas furnace tune-up"), not a gas smell: not by itself
     * urgent. "gas leak", "smell gas" stay urgent.
     */
    static final List<String> GAS_APPLIANCES =
            List.of("furnace", "heater", "water", "stove", "range", "fireplace", "dryer", "grill", "pack", "line");

    static final List<String> SOON = List.of(
            "asap", "soon", "today", "tonight", "tomorrow", "this week", "right away", "urgent", "quickly", "now");

    static final List<String> QUOTE = List.of("quote", "estimate", "price", "pricing", "how much", "cost", "bid");

    /**
     * Words that name equipment, not the job ("furnace", "ac"): they count only when nothing more specific is named,
     * so "estimate for a new ac install" is {@code install}, "my furnace" alone is {@code repair}.
     */
    static final java.util.Set<String> GENERIC = java.util.Set.of(
            "furnace", "ac", "a c", "air conditioner", "air conditioning", "heat pump", "heater", "hvac", "thermostat");

    /** Words per service id of the default menu; a service the menu lacks is ignored. */
    public static final Map<String, List<String>> DEFAULT_SERVICE_WORDS = defaultWords();

    private static final Pattern ZIP = Pattern.compile("(?<![\\d-])(\\d{5})(?:-\\d{4})?(?!\\d)");
    /** A reply is read up to here; the rest of a very long text is kept on the lead but not searched. */
    static final int MAX_READ = 1_000;

    private final ServiceMenu menu;
    /** service id → its words, normalised, in menu order. */
    private final Map<String, List<String>> serviceWords;

    /**
     * @param menu the contractor's menu: only its services can be found
     * @param words per service id, the words and phrases that name it (the service id and the words of its label
     *     always do)
     */
    public ReplyReader(ServiceMenu menu, Map<String, List<String>> words) {
        this.menu = menu;
        var m = new LinkedHashMap<String, List<String>>();
        for (var o : menu.options()) {
            var list = new ArrayList<String>();
            list.add(normalise(o.service()));
            list.addAll(words.getOrDefault(o.service(), List.of()).stream()
                    .map(ReplyReader::normalise)
                    .filter(w -> !w.isBlank())
                    .toList());
            m.put(o.service(), List.copyOf(list));
        }
        this.serviceWords = m;
    }

    public static ReplyReader withDefaults(ServiceMenu menu) {
        return new ReplyReader(menu, DEFAULT_SERVICE_WORDS);
    }

    /** What the text says, as a qualification from {@code SMS} at {@code at}. */
    public Qualification read(String body, Instant at) {
        var q = Qualification.empty(Qualification.Channel.SMS, at);
        if (body == null || body.isBlank()) return q;
        String text = body.length() > MAX_READ ? body.substring(0, MAX_READ) : body;
        String norm = " " + normalise(text) + " ";
        String zip = lastZip(text);
        String service = service(norm);
        Urgency urgency = urgency(norm);
        return new Qualification(service, zip, null, urgency, null, Qualification.Channel.SMS, at);
    }

    /** The last five-digit group: an address puts the house number first and the ZIP last. */
    static String lastZip(String text) {
        var m = ZIP.matcher(text);
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    private String service(String norm) {
        String best = null, generic = null;
        int bestAt = Integer.MAX_VALUE, genericAt = Integer.MAX_VALUE;
        for (var e : serviceWords.entrySet()) {
            for (String w : e.getValue()) {
                int i = norm.indexOf(" " + w + " ");
                if (i < 0) continue;
                if (GENERIC.contains(w)) {
                    if (i < genericAt) {
                        genericAt = i;
                        generic = e.getKey();
                    }
                } else if (i < bestAt) {
                    bestAt = i;
                    best = e.getKey();
                }
            }
        }
        return best != null ? best : generic;
    }

    static Urgency urgency(String norm) {
        for (String w : EMERGENCY) {
            if (!w.equals("gas") && contains(norm, w)) return Urgency.EMERGENCY;
        }
        if (urgentGas(norm)) return Urgency.EMERGENCY;
        for (String w : SOON) if (contains(norm, w)) return Urgency.SOON;
        for (String w : QUOTE) if (contains(norm, w)) return Urgency.QUOTE;
        return null;
    }

    private static boolean urgentGas(String norm) {
        int from = 0;
        while (true) {
            int i = norm.indexOf(" gas ", from);
            if (i < 0) return false;
            String after = norm.substring(i + 5);
            boolean appliance = GAS_APPLIANCES.stream().anyMatch(a -> after.startsWith(a + " "));
            if (!appliance) return true;
            from = i + 4;
        }
    }

    private static boolean contains(String norm, String phrase) {
        return norm.contains(" " + phrase + " ");
    }

    /** Lower case, accents folded, every run of non-letters-or-digits one space, trimmed. */
    static String normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{Nd}]+", " ")
                .strip();
    }

    public ServiceMenu menu() {
        return menu;
    }

    private static Map<String, List<String>> defaultWords() {
        var m = new LinkedHashMap<String, List<String>>();
        m.put(
                "repair",
                List.of(
                        "repair",
                        "broken",
                        "not working",
                        "stopped working",
                        "fix",
                        "no heat",
                        "no ac",
                        "no a c",
                        "not cooling",
                        "not heating",
                        "furnace",
                        "ac",
                        "a c",
                        "air conditioner",
                        "air conditioning",
                        "heat pump",
                        "heater",
                        "hvac",
                        "thermostat",
                        "blowing warm",
                        "blowing cold"));
        m.put(
                "maintenance",
                List.of(
                        "maintenance",
                        "tune up",
                        "tuneup",
                        "check up",
                        "checkup",
                        "inspection",
                        "service plan",
                        "clean"));
        m.put(
                "install",
                List.of(
                        "install",
                        "installation",
                        "new system",
                        "new unit",
                        "replace",
                        "replacement",
                        "new furnace",
                        "new ac"));
        m.put(
                "plumbing",
                List.of(
                        "plumbing",
                        "plumber",
                        "leak",
                        "leaking",
                        "pipe",
                        "pipes",
                        "drain",
                        "clog",
                        "clogged",
                        "toilet",
                        "faucet",
                        "sink",
                        "water heater",
                        "sewer",
                        "flood",
                        "flooding",
                        "burst",
                        "no hot water"));
        m.put(
                "electrical",
                List.of(
                        "electrical",
                        "electric",
                        "electrician",
                        "outlet",
                        "breaker",
                        "panel",
                        "wiring",
                        "sparks",
                        "sparking",
                        "no power",
                        "lights"));
        return Map.copyOf(m);
    }
}
