package switchboard.lead;

/** Turns a raw caller id into the lead it belongs to. Pure: same input, same lead. */
public final class CallerIdentification {
    private CallerIdentification() {}

    /**
     * @param callId used to key a lead that has no usable number, so that two anonymous callers stay two leads
     */
    public static LeadIdentity identify(String tenant, String rawCallerId, String defaultRegion, String callId) {
        var parsed = PhoneNumbers.parse(rawCallerId, defaultRegion);
        if (parsed.ok()) {
            return new LeadIdentity(tenant + ":" + parsed.e164(), tenant, parsed.e164(), rawCallerId, null);
        }
        String reason = parsed.problem();
        String key = reason.equals("WITHHELD") ? "withheld" : "invalid";
        return new LeadIdentity(tenant + ":" + key + ":" + callId, tenant, null, rawCallerId, reason);
    }

    /** The lead id of a callable number, for look-ups by phone number; empty when the number is not valid. */
    public static java.util.Optional<String> leadIdFor(String tenant, String number, String defaultRegion) {
        return PhoneNumbers.toE164(number, defaultRegion).map(e164 -> tenant + ":" + e164);
    }
}
