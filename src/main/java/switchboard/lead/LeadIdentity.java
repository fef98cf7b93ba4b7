package switchboard.lead;

import switchboard.common.CborSerializable;

/**
 * Who a caller is, as far as recovery is concerned.
 *
 * @param leadId the lead entity id: {@code tenant:+E164} for a valid number; a per-call id for a withheld or
 *     unusable one (two anonymous callers are not the same person)
 * @param phoneNumber E.164, or null when the number cannot be called back
 * @param notCallableReason null when callable, else why not (WITHHELD, INVALID_NUMBER, …)
 */
public record LeadIdentity(
        String leadId, String tenant, String phoneNumber, String rawCallerId, String notCallableReason)
        implements CborSerializable {

    public boolean callable() {
        return notCallableReason == null;
    }
}
