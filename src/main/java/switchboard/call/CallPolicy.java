package switchboard.call;

import switchboard.lead.LeadSourceResolver;

/**
 * The configuration a call entity decides with: which tenant and numbering region its PBX belongs to, how to
 * tell the lead source, and how to classify a miss. Applied when an event is created, never on replay, so a
 * changed setting does not rewrite history.
 */
public record CallPolicy(String tenant, String region, LeadSourceResolver sources, MissedCallClassifier classifier) {}
