package switchboard.sms;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import switchboard.common.DecisionLogic;
import switchboard.lead.LeadSource;

/**
 * The texts Switchboard sends, per kind, lead source and whether the office is open, with placeholders. Pure.
 *
 * <p>A template is looked up as (kind, source, hours), then (kind, any source, hours), then (kind, source, any
 * hours), then (kind, any, any); the defaults cover every kind. Placeholders: {@code {business}} (the contractor's
 * name), {@code {callback}} (the number to call, as the contractor writes it), {@code {step}} (1, 2, 3 for
 * follow-ups). An unknown placeholder, an empty text, a text over 1,600 characters (Twilio's limit) or a first text
 * without "STOP" (the opt-out notice carriers require of 10DLC traffic) is refused when the templates are made, not
 * when a customer would get it.
 */
@DecisionLogic
public final class SmsTemplates {

    public enum Kind {
        /** The text-back after a miss. */
        FIRST,
        FOLLOW_UP,
        /** The one confirmation after STOP (no marketing). */
        OPT_OUT_CONFIRMATION,
        /** After START/UNSTOP. */
        OPT_IN_CONFIRMATION,
        /** After HELP. */
        HELP
    }

    public enum Hours {
        OPEN,
        CLOSED
    }

    /** Where a template applies; {@code source} or {@code hours} null: any. */
    public record Key(Kind kind, LeadSource source, Hours hours) {
        public Key {
            if (kind == null) throw new IllegalArgumentException("a template key needs a kind");
        }
    }

    /** What fills the placeholders. */
    public record Values(String business, String callback) {}

    static final Set<String> PLACEHOLDERS = Set.of("business", "callback", "step");
    static final int MAX_LENGTH = 1_600;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    private final Map<Key, String> templates;

    /** {@code overrides} on top of {@link #defaults()}. */
    public SmsTemplates(Map<Key, String> overrides) {
        var all = new HashMap<>(defaults());
        all.putAll(overrides);
        all.forEach(SmsTemplates::check);
        this.templates = Map.copyOf(all);
    }

    public static Map<Key, String> defaults() {
        return Map.of(
                new Key(Kind.FIRST, null, Hours.OPEN),
                "Hi, this is {business}. Sorry we missed your call! What do you need help with, and what's your ZIP?"
                        + " We'll call you right back, or reply here. Reply STOP to opt out.",
                new Key(Kind.FIRST, null, Hours.CLOSED),
                "Hi, this is {business}. Sorry we missed your call — we're closed right now. Reply with what you need"
                        + " and your ZIP and we'll get back to you first thing. Reply STOP to opt out.",
                new Key(Kind.FOLLOW_UP, null, null),
                "{business} here again: still need a hand? Reply with what's going on, or call {callback}."
                        + " Reply STOP to opt out.",
                new Key(Kind.OPT_OUT_CONFIRMATION, null, null),
                "{business}: you're unsubscribed and won't get more texts from us. Reply START to resume.",
                new Key(Kind.OPT_IN_CONFIRMATION, null, null),
                "{business}: you're subscribed again. Reply STOP to opt out.",
                new Key(Kind.HELP, null, null),
                "{business}: texts about your service request. Call {callback} for help. Msg&data rates may apply."
                        + " Reply STOP to opt out.");
    }

    /** The text for {@code kind}, filled in. */
    public String render(Kind kind, LeadSource source, Hours hours, Values values, int step) {
        String t = find(kind, source, hours)
                .orElseThrow(() -> new IllegalStateException("no template for " + kind)); // defaults cover every kind
        Matcher m = PLACEHOLDER.matcher(t);
        var sb = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "business" -> nonNull(values.business());
                case "callback" -> nonNull(values.callback());
                case "step" -> Integer.toString(step + 1);
                default -> m.group(); // unreachable: checked when made
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    Optional<String> find(Kind kind, LeadSource source, Hours hours) {
        for (var k : new Key[] {
            new Key(kind, source, hours),
            new Key(kind, null, hours),
            new Key(kind, source, null),
            new Key(kind, null, null)
        }) {
            String t = templates.get(k);
            if (t != null) return Optional.of(t);
        }
        return Optional.empty();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    static void check(Key key, String text) {
        if (text == null || text.isBlank())
            throw new IllegalArgumentException("SMS template " + describe(key) + " is empty");
        if (text.length() > MAX_LENGTH)
            throw new IllegalArgumentException("SMS template " + describe(key) + " is " + text.length()
                    + " characters (at most " + MAX_LENGTH + ")");
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find())
            if (!PLACEHOLDERS.contains(m.group(1)))
                throw new IllegalArgumentException("SMS template " + describe(key) + " has an unknown placeholder "
                        + m.group() + " (known: {business}, {callback}, {step})");
        if ((key.kind() == Kind.FIRST)
                && !text.toUpperCase(java.util.Locale.ROOT).contains("STOP"))
            throw new IllegalArgumentException(
                    "SMS template " + describe(key) + " must tell how to opt out (e.g. \"Reply STOP to opt out\")");
    }

    private static String describe(Key k) {
        return k.kind().name().toLowerCase()
                + (k.source() == null ? "" : "/" + k.source())
                + (k.hours() == null ? "" : "/" + k.hours().name().toLowerCase());
    }
}
