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
      for (var env : envelopes) apply(c, env.event(), env.sequenceNr());
      return null;
    });
  }

  private void apply(Connection c, CallEntity.Event e, long seqNr) throws Exception {
    String id = e.callId();
    if (e instanceof Started s) {
      var lead = s.lead();
      Object[] values = {s.pbx(), s.linkedId(), lead.phoneNumber(), truncate(lead.rawCallerId(), 80), lead.notCallableReason(), s.did(), s.source(), "RINGING", s.inferred(), s.at(), lead.leadId()};
      int n = Sql.update(c, "UPDATE sb_calls SET pbx=?, linked_id=?, caller_number=?, caller_id_raw=?, caller_not_callable=?, did=?, source=?, status=?, inferred=?, started_at=?, lead_id=? WHERE id=?", append(values, id));
      if (n == 0) {
        Sql.update(c, "INSERT INTO sb_calls (pbx, linked_id, caller_number, caller_id_raw, caller_not_callable, did, source, status, inferred, started_at, lead_id, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", append(values, id));
      }
    } else if (e instanceof Queued q) {
      Sql.update(c, "UPDATE sb_calls SET queue=?, status=CASE WHEN status IN ('ANSWERED','MISSED') THEN status ELSE 'QUEUED' END WHERE id=?", q.queue(), id);
    } else if (e instanceof QueueExited) {
      Sql.update(c, "UPDATE sb_calls SET status=CASE WHEN status IN ('ANSWERED','MISSED') THEN status ELSE 'RINGING' END WHERE id=?", id);
    } else if (e instanceof Answered a) {
      Sql.update(c, "UPDATE sb_calls SET status='ANSWERED', answered_at=?, answered_by=?, queue=COALESCE(?, queue) WHERE id=?", a.at(), a.agent(), a.queue(), id);
    } else if (e instanceof Missed m) {
      Sql.update(c, "UPDATE sb_calls SET status='MISSED', missed_reason=?, voicemail=?, missed_at=?, detected_at=? WHERE id=?", m.reason(), m.voicemail(), m.at(), m.detectedAt(), id);
    } else if (e instanceof Ended x) {
      Sql.update(c, "UPDATE sb_calls SET ended_at=?, hangup_cause=? WHERE id=?", x.at(), x.cause(), id);
    } else if (!(e instanceof Rang || e instanceof DialFailed || e instanceof RoutedAfterHours)) {
      throw new IllegalStateException("CallReadModel does not know event " + e.getClass().getName());
    }
    Sql.update(c, "UPDATE sb_calls SET event_count=event_count+1 WHERE id=?", id);
    history(c, id, seqNr, e);
  }

  private void history(Connection c, String id, long seqNr, CallEntity.Event e) throws Exception {
    String type = e.getClass().getSimpleName();
    String detail = truncate(json.writeValueAsString(e), 2000);
    int n = Sql.update(c, "UPDATE sb_call_events SET type=?, at=?, detail=? WHERE call_id=? AND seq_nr=?", type, e.at(), detail, id, seqNr);
    if (n == 0) Sql.update(c, "INSERT INTO sb_call_events (type, at, detail, call_id, seq_nr) VALUES (?,?,?,?,?)", type, e.at(), detail, id, seqNr);
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static Object[] append(Object[] values, Object last) {
    var out = java.util.Arrays.copyOf(values, values.length + 1);
    out[values.length] = last;
    return out;
  }

}
