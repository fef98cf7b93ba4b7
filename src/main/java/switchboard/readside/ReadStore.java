package switchboard.readside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import switchboard.db.Database;
import switchboard.readside.Views.CallDetail;
import switchboard.readside.Views.CallEventView;
import switchboard.readside.Views.CallFilter;
import switchboard.readside.Views.CallView;
import switchboard.readside.Views.CallbackView;
import switchboard.readside.Views.LeadDetail;
import switchboard.readside.Views.LeadFilter;
import switchboard.readside.Views.LeadView;
import switchboard.readside.Views.RecoveryView;

/**
 * Queries over the read tables. JDBC blocks, so every query runs on the given executor (a dedicated blocking
 * dispatcher), never on an actor or HTTP thread.
 */
public final class ReadStore {
    private static final String CALL_COLUMNS =
            "id, pbx, linked_id, caller_number, caller_not_callable, did, source, queue, status, missed_reason, voicemail, answered_by, "
                    + "started_at, answered_at, missed_at, detected_at, ended_at, hangup_cause, lead_id, hops, rerouted_to";

    private final Database db;
    private final Executor blocking;
    private final ObjectMapper json;

    public ReadStore(Database db, Executor blocking, ObjectMapper json) {
        this.db = db;
        this.blocking = blocking;
        this.json = json;
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws Exception;
    }

    private <T> CompletionStage<T> query(Query<T> q) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (var c = db.connection()) {
                        c.setReadOnly(true);
                        return q.run(c);
                    } catch (Exception e) {
                        throw new ReadSideUnavailable(e);
                    }
                },
                blocking);
    }

    public CompletionStage<List<CallView>> calls(Optional<CallFilter> filter, Optional<Instant> since, int limit) {
        return query(c -> {
            var where = new ArrayList<String>();
            var params = new ArrayList<Object>();
            filter.ifPresent(f -> where.add(
                    switch (f) {
                        case MISSED -> "status = 'MISSED'";
                        case ANSWERED -> "status = 'ANSWERED'";
                        case ACTIVE -> "status IN ('RINGING','QUEUED','REROUTED')";
                    }));
            since.ifPresent(t -> {
                where.add("started_at >= ?");
                params.add(t);
            });
            String sql = "SELECT " + CALL_COLUMNS + " FROM sb_calls"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY started_at DESC, id LIMIT " + limit;
            try (var ps = c.prepareStatement(sql)) {
                Sql.bind(ps, params.toArray());
                return callList(ps.executeQuery());
            }
        });
    }

    public CompletionStage<Optional<CallDetail>> call(String id) {
        return query(c -> {
            CallView call;
            try (var ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM sb_calls WHERE id = ?")) {
                ps.setString(1, id);
                var list = callList(ps.executeQuery());
                if (list.isEmpty()) return Optional.<CallDetail>empty();
                call = list.get(0);
            }
            var events = new ArrayList<CallEventView>();
            try (var ps = c.prepareStatement(
                    "SELECT seq_nr, type, at, detail FROM sb_call_events WHERE call_id = ? ORDER BY seq_nr")) {
                ps.setString(1, id);
                var rs = ps.executeQuery();
                while (rs.next())
                    events.add(new CallEventView(
                            rs.getLong("seq_nr"),
                            rs.getString("type"),
                            Sql.instant(rs, "at"),
                            detail(rs.getString("detail"))));
            }
            return Optional.of(new CallDetail(call, events));
        });
    }

    public CompletionStage<List<LeadView>> leads(Optional<LeadFilter> filter, int limit) {
        return query(c -> {
            String where = filter.map(f -> switch (f) {
                        case NONE -> " WHERE recovery_status IS NULL";
                        default -> " WHERE recovery_status = '" + f.name() + "'"; // an enum constant, never user text
                    })
                    .orElse("");
            return leadList(c, "SELECT * FROM sb_leads" + where + " ORDER BY last_call_at DESC, id LIMIT " + limit);
        });
    }

    /** Leads by the state of their callbacks, oldest recovery first (the order the governor works in). */
    public CompletionStage<List<LeadView>> callbacks(Views.CallbackFilter filter, int limit) {
        return query(c -> {
            String where = switch (filter) {
                case OPEN -> "recovery_status = 'OPEN' AND callback_in_flight IS NULL";
                case IN_FLIGHT -> "callback_in_flight IS NOT NULL";
                case DEFERRED -> "recovery_status = 'OPEN' AND callback_deferred_until IS NOT NULL";
                default -> "recovery_status = '" + filter.name() + "'"; // an enum constant, never user text
            };
            return leadList(
                    c, "SELECT * FROM sb_leads WHERE " + where + " ORDER BY recovery_opened_at, id LIMIT " + limit);
        });
    }

    public CompletionStage<Optional<LeadDetail>> lead(String id) {
        return query(c -> {
            LeadView lead;
            try (var ps = c.prepareStatement("SELECT * FROM sb_leads WHERE id = ?")) {
                ps.setString(1, id);
                var rs = ps.executeQuery();
                if (!rs.next()) return Optional.<LeadDetail>empty();
                lead = lead(rs);
            }
            try (var ps = c.prepareStatement(
                    "SELECT " + CALL_COLUMNS + " FROM sb_calls WHERE lead_id = ? ORDER BY started_at DESC LIMIT 200")) {
                ps.setString(1, id);
                return Optional.of(new LeadDetail(lead, callList(ps.executeQuery())));
            }
        });
    }

    /** Rows in the read tables, for tests, the benchmark and metrics. */
    public CompletionStage<long[]> counts() {
        return query(c -> {
            try (var st = c.createStatement()) {
                var rs = st.executeQuery(
                        "SELECT (SELECT COUNT(*) FROM sb_calls), (SELECT COUNT(*) FROM sb_calls WHERE status='MISSED'), (SELECT COUNT(*) FROM sb_leads), "
                                + "(SELECT COUNT(*) FROM sb_calls WHERE ended_at IS NOT NULL)");
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        });
    }

    /** A call's outcome as the read side has it (load-test ground-truth checks). */
    public record Outcome(String status, String missedReason, boolean ended, int outcomeEvents) {}

    /** Every call's outcome, keyed by call id, with the number of outcome events in its history. */
    public CompletionStage<java.util.Map<String, Outcome>> outcomes() {
        return query(c -> {
            var out = new java.util.HashMap<String, Outcome>();
            var counts = new java.util.HashMap<String, Integer>();
            try (var st = c.createStatement()) {
                var rs = st.executeQuery(
                        "SELECT call_id, COUNT(*) FROM sb_call_events WHERE type IN ('Missed','Answered') GROUP BY call_id");
                while (rs.next()) counts.put(rs.getString(1), rs.getInt(2));
                rs = st.executeQuery("SELECT id, status, missed_reason, ended_at FROM sb_calls");
                while (rs.next()) {
                    String id = rs.getString(1);
                    out.put(
                            id,
                            new Outcome(
                                    lower(rs.getString(2)),
                                    rs.getString(3),
                                    rs.getObject(4) != null,
                                    counts.getOrDefault(id, 0)));
                }
            }
            return out;
        });
    }

    private List<CallView> callList(ResultSet rs) throws SQLException {
        var out = new ArrayList<CallView>();
        while (rs.next()) {
            out.add(new CallView(
                    rs.getString("id"),
                    rs.getString("pbx"),
                    rs.getString("linked_id"),
                    rs.getString("caller_number"),
                    rs.getString("caller_not_callable"),
                    rs.getString("did"),
                    rs.getString("source"),
                    rs.getString("queue"),
                    lower(rs.getString("status")),
                    rs.getString("missed_reason"),
                    rs.getBoolean("voicemail"),
                    rs.getString("answered_by"),
                    Sql.instant(rs, "started_at"),
                    Sql.instant(rs, "answered_at"),
                    Sql.instant(rs, "missed_at"),
                    Sql.instant(rs, "detected_at"),
                    Sql.instant(rs, "ended_at"),
                    Sql.integer(rs, "hangup_cause"),
                    rs.getString("lead_id"),
                    rs.getInt("hops"),
                    rs.getString("rerouted_to")));
        }
        return out;
    }

    private static List<LeadView> leadList(java.sql.Connection c, String sql) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            var rs = ps.executeQuery();
            var out = new ArrayList<LeadView>();
            while (rs.next()) out.add(lead(rs));
            return out;
        }
    }

    private static LeadView lead(ResultSet rs) throws SQLException {
        String recoveryId = rs.getString("recovery_id");
        RecoveryView recovery = recoveryId == null
                ? null
                : new RecoveryView(
                        recoveryId,
                        rs.getString("recovery_status"),
                        rs.getString("recovery_reason"),
                        rs.getString("recovery_source"),
                        Sql.instant(rs, "recovery_opened_at"),
                        Sql.instant(rs, "recovery_last_miss_at"),
                        rs.getInt("recovery_miss_count"),
                        rs.getBoolean("recovery_voicemail"),
                        Sql.instant(rs, "recovery_closed_at"),
                        rs.getString("recovery_closed_reason"),
                        new CallbackView(
                                rs.getInt("callback_attempts"),
                                rs.getString("callback_in_flight"),
                                lower(rs.getString("callback_last_outcome")),
                                Sql.instant(rs, "callback_next_at"),
                                Sql.instant(rs, "callback_deferred_until"),
                                rs.getString("callback_deferred_reason"),
                                Sql.instant(rs, "callback_requested_at")));
        String notCallable = rs.getString("not_callable_reason");
        return new LeadView(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getString("phone_number"),
                notCallable == null,
                notCallable,
                rs.getString("first_source"),
                rs.getString("last_source"),
                Sql.instant(rs, "first_seen_at"),
                Sql.instant(rs, "last_call_at"),
                rs.getInt("missed_calls"),
                rs.getInt("answered_calls"),
                recovery == null ? "none" : lower(recovery.status()),
                recovery,
                rs.getString("time_zone"),
                qualification(rs));
    }

    private static Views.QualificationView qualification(ResultSet rs) throws SQLException {
        var at = Sql.instant(rs, "qualified_at");
        if (at == null) return null;
        boolean inArea = rs.getBoolean("in_service_area");
        return new Views.QualificationView(
                rs.getString("service"),
                rs.getString("zip"),
                rs.wasNull() ? null : inArea,
                rs.getString("urgency"),
                rs.getString("customer_status"),
                rs.getString("qualified_channel"),
                at);
    }

    private JsonNode detail(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase();
    }

    /** The read database could not answer; the API turns this into 503, never a stack trace. */
    public static final class ReadSideUnavailable extends RuntimeException {
        ReadSideUnavailable(Throwable cause) {
            super("read side unavailable: " + cause.getMessage(), cause);
        }
    }
}
