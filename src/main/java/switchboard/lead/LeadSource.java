package switchboard.lead;

import java.util.Locale;
import java.util.Optional;

/** Where a lead came from: the marketing channel that paid for (or earned) the call. */
public enum LeadSource {
    LSA,
    GBP,
    PPC,
    SEO,
    REFERRAL,
    WEBSITE,
    UNKNOWN;

    public static Optional<LeadSource> parse(String name) {
        if (name == null || name.isBlank()) return Optional.empty();
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
