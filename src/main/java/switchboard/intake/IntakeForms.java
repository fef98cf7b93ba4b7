package switchboard.intake;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import switchboard.common.DecisionLogic;
import switchboard.lead.LeadSource;
import switchboard.lead.PhoneNumbers;
import switchboard.qualify.ServiceMenu;

/**
 * Checks a posted web form field by field: what is missing or of the wrong kind is {@link Malformed} (400), a value
 * that cannot be used — a phone number that is not one, a ZIP that is not five digits, a service not on the menu,
 * an unknown source, a field too long — is {@link Unusable} (422). Nothing is dropped or cut silently.
 */
@DecisionLogic
public final class IntakeForms {
    public static final int MAX_ID = 100;
    public static final int MAX_NAME = 200;
    public static final int MAX_MESSAGE = 5000;
    public static final int MAX_UTM = 200;
    /** The campaign fields, as posted (flat, like a form's hidden inputs). */
    public static final java.util.List<String> UTM_FIELDS =
            java.util.List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");

    private IntakeForms() {}

    /**
     * The form as posted: strings as given (null when absent), {@code complete} null when absent. The HTTP adapter
     * checks the JSON types; this class checks the values.
     */
    public record Posted(
            String id,
            String name,
            String phone,
            String zip,
            String service,
            String message,
            String source,
            Boolean complete,
            Map<String, String> utm) {}

    /** A usable form: the number in E.164, the service a menu id, the source decided. */
    public record Submission(
            String formId,
            String phone,
            LeadSource source,
            boolean complete,
            String name,
            String service,
            String zip,
            String message,
            Map<String, String> utm) {}

    public sealed interface Checked {}

    public record Valid(Submission submission) implements Checked {}

    /** Missing or malformed: 400. */
    public record Malformed(String reason) implements Checked {}

    /** Present but not usable: 422. */
    public record Unusable(String reason) implements Checked {}

    public static Checked check(Posted p, String region, ServiceMenu menu) {
        String id = blankToNull(p.id());
        if (id == null)
            return new Malformed("\"id\" is required: the client's idempotency key for this form (e.g. a UUID)");
        if (id.length() > MAX_ID) return new Unusable("\"id\" is longer than " + MAX_ID + " characters");
        if (id.chars().anyMatch(Character::isISOControl))
            return new Unusable("\"id\" must not contain control characters");
        String phone = blankToNull(p.phone());
        if (phone == null) return new Malformed("\"phone\" is required");
        if (p.complete() == null)
            return new Malformed("\"complete\" is required: true for a finished form or booking, false for a booking"
                    + " the visitor left");
        var parsed = PhoneNumbers.parse(phone, region);
        if (!parsed.ok())
            return new Unusable("\"phone\" is not a phone number that can be called back ("
                    + parsed.problem().toLowerCase(Locale.ROOT).replace('_', ' ') + "; national numbers are read as "
                    + region + ", or give +country code)");
        String zip = blankToNull(p.zip());
        if (zip != null) {
            if (!zip.matches("\\d{5}(-\\d{4})?"))
                return new Unusable("\"zip\" must be a five-digit ZIP (or ZIP+4), got '" + abbreviate(zip) + "'");
            zip = zip.substring(0, 5);
        }
        String service = blankToNull(p.service());
        if (service != null) {
            String wanted = service.toLowerCase(Locale.ROOT);
            var option = menu.options().stream()
                    .filter(o -> o.service().equals(wanted))
                    .findFirst();
            if (option.isEmpty())
                return new Unusable("\"service\" '" + abbreviate(service) + "' is not on the menu; one of "
                        + menu.options().stream()
                                .map(ServiceMenu.Option::service)
                                .collect(Collectors.joining(", ")));
            service = option.get().service();
        }
        var utm = new LinkedHashMap<String, String>();
        for (var e :
                p.utm() == null ? Map.<String, String>of().entrySet() : p.utm().entrySet()) {
            String v = blankToNull(e.getValue());
            if (v == null) continue;
            if (v.length() > MAX_UTM)
                return new Unusable("\"" + e.getKey() + "\" is longer than " + MAX_UTM + " characters");
            utm.put(e.getKey(), v);
        }
        LeadSource source;
        String givenSource = blankToNull(p.source());
        if (givenSource != null) {
            var s = LeadSource.parse(givenSource);
            if (s.isEmpty() || s.get() == LeadSource.UNKNOWN)
                return new Unusable("\"source\" '" + abbreviate(givenSource) + "' is not a lead source; one of "
                        + Stream.of(LeadSource.values())
                                .filter(x -> x != LeadSource.UNKNOWN)
                                .map(Enum::name)
                                .collect(Collectors.joining(", ")));
            source = s.get();
        } else {
            source = sourceOfMedium(utm.get("utm_medium"));
        }
        String name = blankToNull(p.name());
        if (name != null && name.length() > MAX_NAME)
            return new Unusable("\"name\" is longer than " + MAX_NAME + " characters");
        String message = blankToNull(p.message());
        if (message != null && message.length() > MAX_MESSAGE)
            return new Unusable("\"message\" is longer than " + MAX_MESSAGE + " characters");
        return new Valid(
                new Submission(id, parsed.e164(), source, p.complete(), name, service, zip, message, Map.copyOf(utm)));
    }

    /** No {@code source} given: paid clicks are PPC, organic search SEO, a referral REFERRAL, anything else WEBSITE. */
    static LeadSource sourceOfMedium(String medium) {
        if (medium == null) return LeadSource.WEBSITE;
        return switch (medium.trim().toLowerCase(Locale.ROOT)) {
            case "cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search" -> LeadSource.PPC;
            case "organic", "seo" -> LeadSource.SEO;
            case "referral" -> LeadSource.REFERRAL;
            default -> LeadSource.WEBSITE;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
