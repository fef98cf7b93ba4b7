package switchboard.call;

import java.util.Map;
import switchboard.lead.LeadSourceResolver;

/**
 * The configuration a call entity decides with: which tenant and numbering region each PBX belongs to, how to
 * tell the lead source, and how to classify a miss. Applied when an event is created, never on replay, so a
 * changed setting does not rewrite history.
 */
public record CallPolicy(
        Map<String, Site> sites, Site fallback, LeadSourceResolver sources, MissedCallClassifier classifier) {

    /** What a PBX's calls belong to. */
    public record Site(String tenant, String region) {}

    public static CallPolicy single(
            String tenant, String region, LeadSourceResolver sources, MissedCallClassifier classifier) {
        var site = new Site(tenant, region);
        return new CallPolicy(Map.of(), site, sources, classifier);
    }

    public Site site(String pbx) {
        return sites.getOrDefault(pbx, fallback);
    }
}
