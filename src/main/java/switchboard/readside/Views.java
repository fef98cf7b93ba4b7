package switchboard.readside;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What the read side answers with: the shapes of the HTTP API. */
public final class Views {
    private Views() {}

    public record CallView(
            String id,
            String pbx,
            String linkedId,
            String callerNumber,
            String callerNotCallable,
            String did,
            String source,
            String queue,
            String status,
            String missedReason,
            boolean voicemail,
            String answeredBy,
            Instant startedAt,
            Instant answeredAt,
            Instant missedAt,
            Instant detectedAt,
            Instant endedAt,
            Integer hangupCause,
            String leadId,
            int hops,
            String reroutedTo) {}

    public record CallEventView(long seqNr, String type, Instant at, JsonNode detail) {}

    public record CallDetail(CallView call, List<CallEventView> events) {}

    public record RecoveryView(
            String id,
            String status,
            String reason,
            String source,
            Instant openedAt,
            Instant lastMissAt,
            int missCount,
            boolean voicemail,
            Instant closedAt,
            String closedReason,
            CallbackView callbacks) {}

    /** A recovery's callbacks: attempts made, the one in flight, the last outcome, when the next is due or why it waits. */
    public record CallbackView(
            int attempts,
            String inFlight,
            String lastOutcome,
            Instant nextAttemptAt,
            Instant deferredUntil,
            String deferredReason,
            Instant requestedAt) {}

    public record LeadView(
            String id,
            String tenant,
            String phoneNumber,
            boolean callable,
            String notCallableReason,
            String firstSource,
            String lastSource,
            Instant firstSeenAt,
            Instant lastCallAt,
            int missedCalls,
            int answeredCalls,
            String status,
            RecoveryView recovery,
            String timeZone,
            QualificationView qualification) {}

    /** What the lead needs, as the read side has it (null until the lead is qualified). */
    public record QualificationView(
            String service,
            String zip,
            Boolean inServiceArea,
            String urgency,
            String customer,
            String channel,
            Instant at) {}

    public record LeadDetail(LeadView lead, List<CallView> calls) {}

    /** Filter of {@code GET /api/callbacks?status=}: open (waiting or due), in flight, deferred, or a final status. */
    public enum CallbackFilter {
        OPEN,
        IN_FLIGHT,
        DEFERRED,
        RECOVERED,
        UNREACHABLE,
        DO_NOT_CALL,
        CANCELLED
    }

    /** Call filter of {@code GET /api/calls?status=}. */
    public enum CallFilter {
        MISSED,
        ANSWERED,
        ACTIVE
    }

    /** Lead filter of {@code GET /api/leads?status=}: the state of the lead's latest recovery, or none. */
    public enum LeadFilter {
        OPEN,
        GOT_THROUGH,
        RECOVERED,
        UNREACHABLE,
        DO_NOT_CALL,
        CANCELLED,
        NONE
    }
}
