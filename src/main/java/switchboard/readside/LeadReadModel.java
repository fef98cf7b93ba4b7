package switchboard.readside;

import java.sql.Connection;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import switchboard.db.PooledJdbcSession;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadEntity.AnsweredCallRecorded;
import switchboard.lead.LeadEntity.GotThrough;
import switchboard.lead.LeadEntity.Identified;
import switchboard.lead.LeadEntity.MissJoined;
import switchboard.lead.LeadEntity.RecoveryOpened;
import switchboard.lead.LeadEntity.StaleMissRecorded;

/** Keeps {@code sb_leads} in step with the lead events, exactly once. */
final class LeadReadModel extends JdbcHandler<List<EventEnvelope<LeadEntity.Event>>, PooledJdbcSession> {

    @Override
    public void process(PooledJdbcSession session, List<EventEnvelope<LeadEntity.Event>> envelopes) throws Exception {
        session.withConnection(c -> {
            for (var env : envelopes) apply(c, env.event());
            return null;
        });
    }

    /** One event into {@code sb_leads}, on the caller's connection and transaction. */
    void apply(Connection c, LeadEntity.Event e) throws Exception {
        String id = e.leadId();
        if (e instanceof Identified i) {
            var who = i.identity();
            Object[] v = {
                who.tenant(),
                who.phoneNumber(),
                CallReadModel.truncate(who.rawCallerId(), 80),
                who.notCallableReason(),
                i.source(),
                i.source(),
                i.at(),
                i.at(),
                id
            };
            int n = Sql.update(
                    c,
                    "UPDATE sb_leads SET tenant=?, phone_number=?, raw_caller_id=?, not_callable_reason=?, first_source=?, last_source=?, first_seen_at=?, last_call_at=? WHERE id=?",
                    v);
            if (n == 0) {
                Sql.update(
                        c,
                        "INSERT INTO sb_leads (tenant, phone_number, raw_caller_id, not_callable_reason, first_source, last_source, first_seen_at, last_call_at, id) VALUES (?,?,?,?,?,?,?,?,?)",
                        v);
            }
        } else if (e instanceof RecoveryOpened o) {
            seen(c, id, o.missedAt(), o.source(), 1, 0);
            Sql.update(
                    c,
                    "UPDATE sb_leads SET recovery_id=?, recovery_status='OPEN', recovery_reason=?, recovery_source=?, recovery_opened_at=?, recovery_last_miss_at=?, "
                            + "recovery_miss_count=1, recovery_voicemail=?, recovery_closed_at=NULL, recovery_closed_reason=NULL, callback_attempts=0, callback_last_outcome=NULL, "
                            + "callback_next_at=NULL, callback_deferred_until=NULL, callback_deferred_reason=NULL, callback_requested_at=NULL WHERE id=?",
                    o.recoveryId(),
                    o.reason(),
                    o.source(),
                    o.missedAt(),
                    o.missedAt(),
                    o.voicemail(),
                    id);
        } else if (e instanceof MissJoined j) {
            seen(c, id, j.missedAt(), j.source(), 1, 0);
            // The recovery describes its earliest miss, whichever order the misses arrived in (see MissJoined).
            Sql.update(
                    c,
                    "UPDATE sb_leads SET recovery_last_miss_at=" + greatest("recovery_last_miss_at")
                            + ", recovery_reason=CASE WHEN ? < recovery_opened_at THEN ? ELSE recovery_reason END"
                            + ", recovery_source=CASE WHEN ? < recovery_opened_at THEN ? ELSE recovery_source END"
                            + ", recovery_opened_at=CASE WHEN ? < recovery_opened_at THEN ? ELSE recovery_opened_at END"
                            + ", recovery_miss_count=recovery_miss_count+1, recovery_voicemail=(recovery_voicemail OR ?) WHERE id=?",
                    j.missedAt(),
                    j.missedAt(),
                    j.missedAt(),
                    j.reason(),
                    j.missedAt(),
                    j.source(),
                    j.missedAt(),
                    j.missedAt(),
                    j.voicemail(),
                    id);
        } else if (e instanceof StaleMissRecorded m) {
            seen(c, id, m.missedAt(), m.source(), 1, 0);
        } else if (e instanceof GotThrough g) {
            seen(c, id, g.answeredAt(), g.source(), 0, 1);
            Sql.update(
                    c,
                    "UPDATE sb_leads SET recovery_status='GOT_THROUGH', recovery_closed_at=? WHERE id=?",
                    g.answeredAt(),
                    id);
        } else if (e instanceof AnsweredCallRecorded a) {
            seen(c, id, a.answeredAt(), a.source(), 0, 1);
        } else if (e instanceof LeadEntity.AttemptStarted a) {
            Sql.update(
                    c,
                    "UPDATE sb_leads SET callback_attempts=?, callback_in_flight=?, callback_next_at=NULL, callback_deferred_until=NULL, callback_deferred_reason=NULL WHERE id=?",
                    a.attemptNo(),
                    a.attemptId(),
                    id);
        } else if (e instanceof LeadEntity.AttemptEnded a) {
            boolean connected = a.outcome() == switchboard.lead.CallbackOutcome.CONNECTED;
            Sql.update(
                    c,
                    "UPDATE sb_leads SET callback_in_flight=NULL, callback_last_outcome=?, callback_next_at=?"
                            + (connected
                                    ? ", recovery_status=CASE WHEN recovery_status='OPEN' THEN 'RECOVERED' ELSE recovery_status END, recovery_closed_at=COALESCE(recovery_closed_at, ?)"
                                    : "")
                            + " WHERE id=?",
                    connected
                            ? new Object[] {a.outcome(), a.retryAt(), a.at(), id}
                            : new Object[] {a.outcome(), a.retryAt(), id});
        } else if (e instanceof LeadEntity.CallbackDeferred d) {
            Sql.update(
                    c,
                    "UPDATE sb_leads SET callback_deferred_until=?, callback_deferred_reason=? WHERE id=?",
                    d.until(),
                    CallReadModel.truncate(d.because(), 64),
                    id);
        } else if (e instanceof LeadEntity.CallbackRequested q) {
            Sql.update(
                    c,
                    "UPDATE sb_leads SET callback_next_at=?, callback_requested_at=?, callback_deferred_until=NULL, callback_deferred_reason=NULL WHERE id=?",
                    q.at(),
                    q.at(),
                    id);
        } else if (e instanceof LeadEntity.TimeZoneSet z) {
            Sql.update(
                    c,
                    "UPDATE sb_leads SET time_zone=?, callback_deferred_until=NULL, callback_deferred_reason=NULL WHERE id=?",
                    z.zoneId(),
                    id);
        } else if (e instanceof LeadEntity.RecoveryClosed x) {
            Sql.update(
                    c,
                    "UPDATE sb_leads SET recovery_status=?, recovery_closed_at=?, recovery_closed_reason=?, callback_next_at=NULL, callback_deferred_until=NULL WHERE id=?",
                    x.status(),
                    x.at(),
                    CallReadModel.truncate(x.why(), 200),
                    id);
        } else if (e instanceof LeadEntity.JobBooked b) {
            // The API reads the booking itself from the lead; here only the recovery it ended.
            if (b.recoveryId() != null)
                Sql.update(
                        c,
                        "UPDATE sb_leads SET recovery_status=?, recovery_closed_at=?, recovery_closed_reason=?, callback_next_at=NULL, callback_deferred_until=NULL WHERE id=?",
                        switchboard.lead.RecoveryStatus.BOOKED,
                        b.booking().at(),
                        "booked",
                        id);
        } else if (e instanceof LeadEntity.Qualified q) {
            // The event carries the lead's whole qualification (merged with what it knew), so it simply replaces it.
            var a = q.qualification();
            Sql.update(
                    c,
                    "UPDATE sb_leads SET service=?, zip=?, in_service_area=?, urgency=?, customer_status=?, qualified_channel=?, qualified_at=? WHERE id=?",
                    a.service(),
                    a.zip(),
                    a.inServiceArea(),
                    a.urgency(),
                    a.customer(),
                    a.channel(),
                    a.at(),
                    id);
        } else if (e instanceof LeadEntity.BookingCancelled
                || e instanceof LeadEntity.Routed
                || e instanceof LeadEntity.FormReceived) {
            // Shown from the lead itself (GET /api/leads/{id}); no column here.
        } else if (e instanceof LeadEntity.TextSent
                || e instanceof LeadEntity.TextReceived
                || e instanceof LeadEntity.TextStatusChanged
                || e instanceof LeadEntity.OptedOut
                || e instanceof LeadEntity.OptedIn) {
            // The SMS conversation (issue 18): shown from the lead itself for now; no table here yet.
        } else {
            throw new IllegalStateException(
                    "LeadReadModel does not know event " + e.getClass().getName());
        }
    }

    /** First and last contact by PBX time (not by arrival order), and the counters. Mirrors LeadEntity.State#seen. */
    private static void seen(
            Connection c, String id, java.time.Instant at, switchboard.lead.LeadSource source, int missed, int answered)
            throws Exception {
        Sql.update(
                c,
                "UPDATE sb_leads SET first_source=CASE WHEN first_seen_at IS NULL OR ? < first_seen_at THEN ? ELSE first_source END, "
                        + "first_seen_at=CASE WHEN first_seen_at IS NULL OR ? < first_seen_at THEN ? ELSE first_seen_at END, "
                        + "last_source=CASE WHEN last_call_at IS NULL OR ? >= last_call_at THEN ? ELSE last_source END, "
                        + "last_call_at=CASE WHEN last_call_at IS NULL OR ? >= last_call_at THEN ? ELSE last_call_at END, "
                        + "missed_calls=missed_calls+?, answered_calls=answered_calls+? WHERE id=?",
                at,
                source,
                at,
                at,
                at,
                source,
                at,
                at,
                missed,
                answered,
                id);
    }

    /** Portable GREATEST(column, ?) that survives a NULL column; takes two parameters (the new value twice). */
    private static String greatest(String column) {
        return "CASE WHEN " + column + " IS NULL OR " + column + " < ? THEN ? ELSE " + column + " END";
    }
}
