package switchboard.callback;

import java.time.Instant;
import java.time.ZoneId;
import switchboard.lead.LeadSource;

/**
 * An open recovery as the read side has it: what the governor needs to rank and dial it. {@code number} null: not
 * callable (withheld, invalid). {@code requested}: the caller or a person asked for this callback (ranked ahead of
 * plain misses). {@code emergency}: the lead's qualification says urgency EMERGENCY (ranked ahead of everything).
 */
public record PendingRecovery(
        String leadId,
        String recoveryId,
        String number,
        LeadSource source,
        String reason,
        Instant openedAt,
        int missCount,
        int attempts,
        String inFlight,
        Instant nextAttemptAt,
        Instant deferredUntil,
        ZoneId timeZone,
        boolean requested,
        boolean emergency) {}
