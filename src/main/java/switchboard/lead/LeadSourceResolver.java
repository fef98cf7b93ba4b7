package switchboard.lead;

import java.util.Map;
import switchboard.common.DecisionLogic;

/**
 * Decides a call's lead source: a valid value of the dialplan's channel variable wins (the PBX admin knows
 * best), then the DID map from configuration, else {@link LeadSource#UNKNOWN}.
 */
@DecisionLogic
public final class LeadSourceResolver {
    private final Map<String, LeadSource> byDidDigits;

    /** @param byDidDigits DID digits (no '+', no punctuation) → source */
    public LeadSourceResolver(Map<String, LeadSource> byDidDigits) {
        this.byDidDigits = Map.copyOf(byDidDigits);
    }

    public LeadSource resolve(String did, String channelVariable) {
        var fromDialplan = LeadSource.parse(channelVariable);
        if (fromDialplan.isPresent()) return fromDialplan.get();
        if (did == null) return LeadSource.UNKNOWN;
        String digits = did.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) return LeadSource.UNKNOWN;
        var exact = byDidDigits.get(digits);
        if (exact != null) return exact;
        // A DID configured as +1NXXNXXXXXX still matches when the carrier delivers the national 10 digits.
        for (var e : byDidDigits.entrySet()) {
            if (e.getKey().endsWith(digits) && digits.length() >= 7
                    || digits.endsWith(e.getKey()) && e.getKey().length() >= 7) {
                return e.getValue();
            }
        }
        return LeadSource.UNKNOWN;
    }
}
