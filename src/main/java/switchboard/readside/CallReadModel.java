package switchboard.readside;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import switchboard.call.CallEntity;
import switchboard.call.CallEntity.Answered;
import switchboard.call.CallEntity.DialFailed;
import switchboard.call.CallEntity.Ended;
import switchboard.call.CallEntity.Missed;
import switchboard.call.CallEntity.QueueExited;
import switchboard.call.CallEntity.Queued;
import switchboard.call.CallEntity.Rang;
import switchboard.call.CallEntity.RoutedAfterHours;
import switchboard.call.CallEntity.Started;
import switchboard.db.PooledJdbcSession;

/**
 * Keeps {@code sb_calls} (one row per call) and {@code sb_call_events} (its history) in step with the call
 * events. Runs exactly-once: the rows and the projection offset commit in one transaction.
 */
final class CallReadModel extends JdbcHandler<List<EventEnvelope<CallEntity.Event>>, PooledJdbcSession> {
    private final ObjectMapper json;

    CallReadModel(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(PooledJdbcSession session, List<EventEnvelope<CallEntity.Event>> envelopes) throws Exception {
        session.withConnection(c -> {
            // Row changes one by one (each depends on the last); the history in one batched, idempotent insert.
            try (var history = c.prepareStatement(HISTORY_INSERT)) {
                for (var env : envelopes) {
                    var e = env.event();
                    apply(c, e);
                    Sql.bind(
                            history,
                            e.callId(),
                            env.sequenceNr(),
                            e.getClass().getSimpleName(),
                            e.at(),
                            truncate(json.writeValueAsString(e), 2000));
                    history.addBatch();
                }
                history.executeBatch();
            }
            return null;
        });
    }

    /** Insert unless present: a replayed group (e.g. after an offset reset) adds nothing twice. */
    private static final String HISTORY_INSERT =
            "MERGE INTO sb_call_events t USING (VALUES (CAST(? AS VARCHAR(300)), CAST(? AS BIGINT), CAST(? AS VARCHAR(32)), "
                    + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(2000)))) AS s(call_id, seq_nr, type, at, detail) "
                    + "ON t.call_id = s.call_id AND t.seq_nr = s.seq_nr "
                    + "WHEN NOT MATCHED THEN INSERT (call_id, seq_nr, type, at, detail) VALUES (s.call_id, s.seq_nr, s.type, s.at, s.detail)";

    private void apply(Connection c, CallEntity.Event e) throws Exception {
        String id = e.callId();
        if (e instanceof Started s) {
            var lead = s.lead();
            Object[] values = {
                s.pbx(),
                s.linkedId(),
                lead.phoneNumber(),
                truncate(lead.rawCallerId(), 80),
                lead.notCallableReason(),
                s.did(),
                s.source(),
                "RINGING",
                s.inferred(),
                s.at(),
                lead.leadId(),
                id
            };
            int n = Sql.update(
                    c,
                    "UPDATE sb_calls SET pbx=?, linked_id=?, caller_number=?, caller_id_raw=?, caller_not_callable=?, did=?, source=?, status=?, inferred=?, started_at=?, lead_id=? WHERE id=?",
                    values);
            if (n == 0) {
                Sql.update(
                        c,
                        "INSERT INTO sb_calls (pbx, linked_id, caller_number, caller_id_raw, caller_not_callable, did, source, status, inferred, started_at, lead_id, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        values);
            }
        } else if (e instanceof CallEntity.StartCorrected sc) {
            Sql.update(c, "UPDATE sb_calls SET started_at=? WHERE id=?", sc.at(), id);
        } else if (e instanceof Queued q) {
            Sql.update(
                    c,
                    "UPDATE sb_calls SET queue=?, status=CASE WHEN status IN ('ANSWERED','MISSED','REROUTED') THEN status ELSE 'QUEUED' END WHERE id=?",
                    q.queue(),
                    id);
        } else if (e instanceof QueueExited) {
            Sql.update(
                    c,
                    "UPDATE sb_calls SET status=CASE WHEN status IN ('ANSWERED','MISSED','REROUTED') THEN status ELSE 'RINGING' END WHERE id=?",
                    id);
        } else if (e instanceof Answered a) {
            Sql.update(
                    c,
                    "UPDATE sb_calls SET status='ANSWERED', answered_at=?, answered_by=?, queue=COALESCE(?, queue) WHERE id=?",
                    a.at(),
                    a.agent(),
                    a.queue(),
                    id);
        } else if (e instanceof Missed m) {
            Sql.update(
                    c,
                    "UPDATE sb_calls SET status='MISSED', missed_reason=?, voicemail=?, missed_at=?, detected_at=? WHERE id=?",
                    m.reason(),
                    m.voicemail(),
                    m.at(),
                    m.detectedAt(),
                    id);
        } else if (e instanceof Ended x) {
            Sql.update(c, "UPDATE sb_calls SET ended_at=?, hangup_cause=? WHERE id=?", x.at(), x.cause(), id);
        } else if (e instanceof CallEntity.Rerouted r) {
            Sql.update(
                    c,
                    "UPDATE sb_calls SET hops=hops+1, rerouted_to=?, status=CASE WHEN status IN ('ANSWERED','MISSED') THEN status ELSE 'REROUTED' END WHERE id=?",
                    truncate(r.to(), 200),
                    id);
        } else if (!(e instanceof Rang
                || e instanceof DialFailed
                || e instanceof RoutedAfterHours
                || e instanceof CallEntity.CallbackChosen)) {
            throw new IllegalStateException(
                    "CallReadModel does not know event " + e.getClass().getName());
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
