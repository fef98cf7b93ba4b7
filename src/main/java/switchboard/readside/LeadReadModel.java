package switchboard.readside;

import java.sql.Connection;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
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

  private void apply(Connection c, LeadEntity.Event e) throws Exception {
    String id = e.leadId();
    if (e instanceof Identified i) {
      var who = i.identity();
      Object[] v = {who.tenant(), who.phoneNumber(), CallReadModel.truncate(who.rawCallerId(), 80), who.notCallableReason(), i.source(), i.source(), i.at(), i.at(), id};
      int n = Sql.update(c, "UPDATE sb_leads SET tenant=?, phone_number=?, raw_caller_id=?, not_callable_reason=?, first_source=?, last_source=?, first_seen_at=?, last_call_at=? WHERE id=?", v);
      if (n == 0) {
        Sql.update(c, "INSERT INTO sb_leads (tenant, phone_number, raw_caller_id, not_callable_reason, first_source, last_source, first_seen_at, last_call_at, id) VALUES (?,?,?,?,?,?,?,?,?)", v);
      }
    } else if (e instanceof RecoveryOpened o) {
      Sql.update(c, "UPDATE sb_leads SET missed_calls=missed_calls+1, last_source=?, last_call_at=" + greatest("last_call_at") + ", recovery_id=?, recovery_status='OPEN', recovery_reason=?, recovery_source=?, "
          + "recovery_opened_at=?, recovery_last_miss_at=?, recovery_miss_count=1, recovery_voicemail=?, recovery_closed_at=NULL WHERE id=?",
          o.source(), o.missedAt(), o.missedAt(), o.recoveryId(), o.reason(), o.source(), o.missedAt(), o.missedAt(), o.voicemail(), id);
    } else if (e instanceof MissJoined j) {
      Sql.update(c, "UPDATE sb_leads SET missed_calls=missed_calls+1, last_call_at=" + greatest("last_call_at") + ", recovery_last_miss_at=" + greatest("recovery_last_miss_at")
          + ", recovery_miss_count=recovery_miss_count+1, recovery_voicemail=(recovery_voicemail OR ?) WHERE id=?",
          j.missedAt(), j.missedAt(), j.missedAt(), j.missedAt(), j.voicemail(), id);
    } else if (e instanceof StaleMissRecorded s) {
      Sql.update(c, "UPDATE sb_leads SET missed_calls=missed_calls+1, last_call_at=" + greatest("last_call_at") + " WHERE id=?", s.missedAt(), s.missedAt(), id);
    } else if (e instanceof GotThrough g) {
      Sql.update(c, "UPDATE sb_leads SET answered_calls=answered_calls+1, last_call_at=" + greatest("last_call_at") + ", recovery_status='GOT_THROUGH', recovery_closed_at=? WHERE id=?",
          g.answeredAt(), g.answeredAt(), g.answeredAt(), id);
    } else if (e instanceof AnsweredCallRecorded a) {
      Sql.update(c, "UPDATE sb_leads SET answered_calls=answered_calls+1, last_call_at=" + greatest("last_call_at") + " WHERE id=?", a.answeredAt(), a.answeredAt(), id);
    } else {
      throw new IllegalStateException("LeadReadModel does not know event " + e.getClass().getName());
    }
  }

  /** Portable GREATEST(column, ?) that survives a NULL column; takes two parameters (the new value twice). */
  private static String greatest(String column) {
    return "CASE WHEN " + column + " IS NULL OR " + column + " < ? THEN ? ELSE " + column + " END";
  }
}
