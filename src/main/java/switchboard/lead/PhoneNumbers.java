package switchboard.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Caller-id normalisation with libphonenumber, and masking for logs (phone numbers are PII). */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** What PBXes and carriers put in CallerIDNum when the caller hides their number. */
    private static final Set<String> WITHHELD = Set.of(
            "", "anonymous", "restricted", "private", "unknown", "unavailable", "<unknown>", "withheld", "blocked");

    private PhoneNumbers() {}

    /** The result of reading a caller id: either an E.164 number or the reason it is not one. */
    public record Parsed(String e164, String problem) {
        public boolean ok() {
            return e164 != null;
        }
    }

    public static Parsed parse(String raw, String defaultRegion) {
        String s = raw == null ? "" : raw.trim();
        if (WITHHELD.contains(s.toLowerCase(Locale.ROOT))) return new Parsed(null, "WITHHELD");
        if (s.length() > 40) return new Parsed(null, "INVALID_NUMBER");
        // Some trunks deliver international numbers with a 00 or 011 prefix instead of '+'.
        if (s.startsWith("011") && defaultRegion.equals("US")) s = "+" + s.substring(3);
        else if (s.startsWith("00")) s = "+" + s.substring(2);
        try {
            var number = UTIL.parse(s, defaultRegion);
            if (!UTIL.isValidNumber(number)) return new Parsed(null, "INVALID_NUMBER");
            return new Parsed(UTIL.format(number, PhoneNumberFormat.E164), null);
        } catch (NumberParseException e) {
            return new Parsed(null, "INVALID_NUMBER");
        }
    }

    /** E.164 for a valid number, else empty. */
    public static Optional<String> toE164(String raw, String defaultRegion) {
        return Optional.ofNullable(parse(raw, defaultRegion).e164());
    }

    /** "+19195551234" → "+1919***1234". Everything that logs a number goes through this. */
    public static String mask(String number) {
        if (number == null) return "null";
        String s = number.trim();
        if (s.length() <= 4) return "***";
        String head = s.length() >= 10 ? s.substring(0, 5) : "";
        return head + "***" + s.substring(s.length() - 4);
    }
}
