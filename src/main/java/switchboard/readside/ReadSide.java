package switchboard.readside;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import switchboard.call.CallEntity;
import switchboard.db.JdbcProjections;
import switchboard.lead.LeadEntity;

/**
 * Starts the read models, one projection per tag, each exactly once in the cluster, each exactly once per event
 * (rows and offset in one transaction):
 * <ul>
 *   <li>{@code calls-read-model}: call events → {@code sb_calls}, {@code sb_call_events}</li>
 *   <li>{@code leads-read-model}: lead events → {@code sb_leads}</li>
 * </ul>
 * The API reads only these tables ({@link ReadStore}).
 */
public final class ReadSide {
    private ReadSide() {}

    public static void start(JdbcProjections projections, ObjectMapper json) {
        projections.<CallEntity.Event>exactlyOnce(
                "calls-read-model", CallEntity.TAGS, () -> new CallReadModel(json), 200, Duration.ofMillis(50));
        projections.<LeadEntity.Event>exactlyOnce(
                "leads-read-model", LeadEntity.TAGS, LeadReadModel::new, 200, Duration.ofMillis(50));
    }
}
