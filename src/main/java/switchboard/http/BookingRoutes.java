package switchboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.put;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import switchboard.booking.BoardDay;
import switchboard.booking.BookingDesk;
import switchboard.booking.RuleTable;
import switchboard.lead.LeadEntity;
import switchboard.lead.Qualification;
import switchboard.qualify.QualifyDesk;

/**
 * The dispatch board and a lead's qualification and booking over HTTP (inside {@code /api}, behind the token):
 * {@code GET /api/board}, {@code PUT /api/board/{board}/{date}/{window}}, {@code PUT /api/leads/{id}/qualification},
 * {@code POST|DELETE /api/leads/{id}/booking}.
 */
final class BookingRoutes {
    private static final int MAX_DAYS = 62;

    private final BookingDesk booking;
    private final QualifyDesk qualify;
    private final ObjectMapper mapper;
    private final Marshaller<Object, RequestEntity> json;
    private final Function<String, String> leadIdOf;

    BookingRoutes(BookingDesk booking, QualifyDesk qualify, ObjectMapper mapper, Function<String, String> leadIdOf) {
        this.booking = booking;
        this.qualify = qualify;
        this.mapper = mapper;
        this.json = Jackson.marshaller(mapper);
        this.leadIdOf = leadIdOf;
    }

    Route routes() {
        return concat(
                path(
                        PathMatchers.segment("booking").slash("rules"),
                        () -> concat(get(this::rules), put(this::replaceRules), delete(this::resetRules))),
                path(
                        PathMatchers.segment("leads")
                                .slash(PathMatchers.segment())
                                .slash("plan"),
                        id -> get(() -> plan(leadIdOf.apply(id)))),
                path("board", () -> get(this::board)),
                pathPrefix(
                        PathMatchers.segment("board").slash(PathMatchers.segment()),
                        board -> path(
                                PathMatchers.segment().slash(PathMatchers.segment()),
                                (date, window) -> put(() -> setCapacity(board, date, window)))),
                path(
                        PathMatchers.segment("leads")
                                .slash(PathMatchers.segment())
                                .slash("qualification"),
                        id -> put(() -> qualify(leadIdOf.apply(id)))),
                path(
                        PathMatchers.segment("leads")
                                .slash(PathMatchers.segment())
                                .slash("booking"),
                        id -> concat(post(() -> book(leadIdOf.apply(id))), delete(() -> cancel(leadIdOf.apply(id))))));
    }

    /** The lead's qualification and booking, for {@code GET /api/leads/{id}}. */
    static Map<String, Object> view(LeadEntity.State st) {
        var out = new LinkedHashMap<String, Object>();
        out.put("qualification", st.qualification());
        out.put("booking", st.booking());
        out.put("route", st.route());
        out.put("forms", st.forms());
        return out;
    }

    private Route board() {
        return parameterOptional(
                "board",
                b -> parameterOptional(
                        "from",
                        f -> parameterOptional("to", t -> {
                            String board = b.orElse("service");
                            if (!booking.settings().board().has(board))
                                return error(StatusCodes.NOT_FOUND, "not_found", "no board named " + abbreviate(board));
                            var from = f.map(x -> date("from", x))
                                    .orElse(LocalDate.now(
                                            booking.settings().board().zone()));
                            var to = t.map(x -> date("to", x)).orElse(from.plusDays(6));
                            if (to.isBefore(from)) throw new ApiRoutes.BadRequest("'to' must not be before 'from'");
                            if (from.plusDays(MAX_DAYS).isBefore(to))
                                throw new ApiRoutes.BadRequest("at most " + MAX_DAYS + " days at once");
                            return onSuccess(
                                    booking.board(board, from, to),
                                    rows -> ok(Map.of("board", board, "windows", rows)));
                        })));
    }

    private Route setCapacity(String board, String dateText, String window) {
        var date = date("date", dateText);
        if (!booking.settings().board().has(board))
            return error(StatusCodes.NOT_FOUND, "not_found", "no board named " + abbreviate(board));
        if (booking.settings().board().slots(board, date).stream().noneMatch(s -> s.id().equals(window)))
            return error(
                    StatusCodes.NOT_FOUND,
                    "not_found",
                    "board " + board + " has no window " + abbreviate(window) + " on " + date);
        return body(node -> {
            var c = node.get("capacity");
            if (c == null || !c.canConvertToInt() || c.asInt() < 0 || c.asInt() > 1000)
                throw new ApiRoutes.BadRequest("body must be {\"capacity\": N} with N from 0 to 1000");
            return onSuccess(booking.setCapacity(board, date, window, c.asInt(), "api", Instant.now()), r -> {
                var set = (BoardDay.CapacitySet) r;
                return ok(Map.of(
                        "board",
                        board,
                        "date",
                        date.toString(),
                        "window",
                        window,
                        "capacity",
                        set.capacity(),
                        "booked",
                        set.booked()));
            });
        });
    }

    private Route qualify(String leadId) {
        return body(node -> {
            var q = Qualification.empty(Qualification.Channel.CSR, Instant.now());
            try {
                if (has(node, "service")) {
                    var s = text(node, "service");
                    if (qualify.settings().menu().byService(s).isEmpty())
                        throw new ApiRoutes.BadRequest("'" + abbreviate(s) + "' is not a service on the menu");
                    q = q.withService(s);
                }
                if (has(node, "zip")) q = q.withZip(text(node, "zip"), null);
                if (has(node, "urgency"))
                    q = q.withUrgency(enumOf(Qualification.Urgency.class, "urgency", text(node, "urgency")));
                if (has(node, "customer"))
                    q = q.withCustomer(enumOf(Qualification.CustomerStatus.class, "customer", text(node, "customer")));
            } catch (IllegalArgumentException e) { // a ZIP that is not five digits, a service id that cannot be
                throw new ApiRoutes.BadRequest(e.getMessage());
            }
            if (q.isEmpty())
                throw new ApiRoutes.BadRequest("body must give at least one of service, zip, urgency, customer");
            return onSuccess(
                    qualify.record(leadId, q, "csr"),
                    st -> st.known()
                            ? ok(Map.of("leadId", leadId, "qualification", st.qualification()))
                            : error(StatusCodes.NOT_FOUND, "not_found", "no lead with id " + leadId));
        });
    }

    private Route book(String leadId) {
        return body(node -> {
            var board = text(node, "board");
            var date = date("date", text(node, "date"));
            var window = text(node, "window");
            return onSuccess(booking.book(leadId, board, date, window, "csr", Instant.now()), outcome -> {
                if (outcome instanceof BookingDesk.Booked b)
                    return ok(Map.of(
                            "leadId",
                            leadId,
                            "board",
                            board,
                            "date",
                            date.toString(),
                            "window",
                            window,
                            "booked",
                            b.window().booked(),
                            "capacity",
                            b.window().capacity()));
                if (outcome instanceof BookingDesk.Full f)
                    return error(
                            StatusCodes.CONFLICT,
                            "full",
                            "window " + window + " on " + date + " is full ("
                                    + f.window().capacity() + ")");
                if (outcome instanceof BookingDesk.NoSuchLead)
                    return error(StatusCodes.NOT_FOUND, "not_found", "no lead with id " + leadId);
                return error(StatusCodes.NOT_FOUND, "not_found", ((BookingDesk.NoSuchWindow) outcome).why());
            });
        });
    }

    private Route cancel(String leadId) {
        return onSuccess(
                booking.cancel(leadId, "csr", Instant.now()),
                done -> done
                        ? ok(Map.of("leadId", leadId, "booking", "cancelled"))
                        : error(StatusCodes.NOT_FOUND, "not_found", "lead " + leadId + " has no booking"));
    }

    // ---- the booking-rule table ----

    private static final List<String> TABLE_KEYS = List.of("rules", "source", "changedAt", "changedBy");

    /** {@code GET /api/booking/rules}: the table in effect, in the shape of {@code switchboard.booking.rules}. */
    private Route rules() {
        return onSuccess(booking.rules(), t -> ok(tableJson(t)));
    }

    /**
     * {@code PUT /api/booking/rules} with {@code {"rules": [ {"name": …, "when": {…}, "then": FLOW}, … ]}} (or the bare
     * list; what {@code GET} answers may be put back as it is): replaces the whole table, stored before it applies.
     */
    private Route replaceRules() {
        return entity(Unmarshaller.entityToString(), text -> {
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ApiRoutes.BadRequest(
                        "body is not valid JSON: " + abbreviate(String.valueOf(e.getOriginalMessage())));
            }
            if (node != null && node.isObject()) {
                for (var it = node.fieldNames(); it.hasNext(); ) {
                    var f = it.next();
                    if (!TABLE_KEYS.contains(f))
                        throw new ApiRoutes.BadRequest(
                                "unknown field '" + abbreviate(f) + "' (the body is {\"rules\": [ … ]})");
                }
                node = node.get("rules");
            }
            if (node == null || !node.isArray())
                throw new ApiRoutes.BadRequest(
                        "body must be {\"rules\": [ {\"name\": …, \"when\": { … }, \"then\": FLOW }, … ]}");
            var table = new ArrayList<RuleTable.Written>();
            for (int i = 0; i < node.size(); i++) table.add(rule("rules[" + i + "]", node.get(i)));
            try {
                return onSuccess(booking.replaceRules(table, "api", Instant.now()), t -> ok(tableJson(t)));
            } catch (RuleTable.BadRule e) {
                throw new ApiRoutes.BadRequest(e.getMessage());
            }
        });
    }

    /** {@code DELETE /api/booking/rules}: back to the configuration's table. */
    private Route resetRules() {
        return onSuccess(booking.resetRules("api", Instant.now()), t -> ok(tableJson(t)));
    }

    private static RuleTable.Written rule(String at, JsonNode n) {
        if (n == null || !n.isObject())
            throw new ApiRoutes.BadRequest(at + ": must be a rule {\"name\": …, \"when\": { … }, \"then\": FLOW}");
        known(at, n, RuleTable.RULE_KEYS);
        var when = n.get("when");
        RuleTable.When w = null;
        if (when != null && !when.isNull()) {
            String wa = at + ".when";
            if (!when.isObject())
                throw new ApiRoutes.BadRequest(wa + ": must be an object of conditions " + RuleTable.WHEN_KEYS);
            known(wa, when, RuleTable.WHEN_KEYS);
            w = new RuleTable.When(
                    names(wa, when, "services"),
                    names(wa, when, "kinds"),
                    flag(wa, when, "offered"),
                    flag(wa, when, "in-area"),
                    names(wa, when, "urgency"),
                    names(wa, when, "customer"),
                    names(wa, when, "hours"),
                    flag(wa, when, "free-window"),
                    flag(wa, when, "complete"));
        }
        return new RuleTable.Written(string(at, n, "name"), w, string(at, n, "then"));
    }

    private static void known(String at, JsonNode n, List<String> keys) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            var f = it.next();
            if (!keys.contains(f))
                throw new ApiRoutes.BadRequest(
                        at + ": unknown field '" + abbreviate(f) + "' (known: " + String.join(", ", keys) + ")");
        }
    }

    private static String string(String at, JsonNode n, String field) {
        var v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new ApiRoutes.BadRequest(at + "." + field + ": must be a string");
        return v.asText();
    }

    private static Boolean flag(String at, JsonNode n, String field) {
        var v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw new ApiRoutes.BadRequest(at + "." + field + ": must be true or false");
        return v.asBoolean();
    }

    private static List<String> names(String at, JsonNode n, String field) {
        var v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray())
            throw new ApiRoutes.BadRequest(at + "." + field + ": must be a list of names, e.g. [\"a\", \"b\"]");
        var out = new ArrayList<String>();
        for (var e : v) {
            if (!e.isTextual())
                throw new ApiRoutes.BadRequest(
                        at + "." + field + ": must be a list of names, got " + abbreviate(e.toString()));
            out.add(e.asText());
        }
        return out;
    }

    /** The table as JSON: the keys of {@code switchboard.booking.rules} (a condition left out is not written). */
    static Map<String, Object> tableJson(BookingDesk.RulesInEffect t) {
        var rules = new ArrayList<Map<String, Object>>();
        for (var r : t.table()) {
            var rule = new LinkedHashMap<String, Object>();
            rule.put("name", r.name());
            var w = r.when();
            if (w != null) {
                var when = new LinkedHashMap<String, Object>();
                putIf(when, "services", w.services());
                putIf(when, "kinds", w.kinds());
                putIf(when, "offered", w.offered());
                putIf(when, "in-area", w.inArea());
                putIf(when, "urgency", w.urgency());
                putIf(when, "customer", w.customer());
                putIf(when, "hours", w.hours());
                putIf(when, "free-window", w.freeWindow());
                putIf(when, "complete", w.complete());
                rule.put("when", when);
            }
            rule.put("then", r.then());
            rules.add(rule);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("source", t.source().name().toLowerCase(Locale.ROOT));
        out.put("changedAt", t.changedAt());
        out.put("changedBy", t.changedBy());
        out.put("rules", rules);
        return out;
    }

    private static void putIf(Map<String, Object> m, String key, Object v) {
        if (v != null) m.put(key, v);
    }

    /** {@code GET /api/leads/{id}/plan?offer=3}: what the rules in effect say for the lead now, and the windows to offer. */
    private Route plan(String leadId) {
        return parameterOptional("offer", o -> {
            int offer = o.map(x -> {
                        try {
                            int n = Integer.parseInt(x.strip());
                            if (n >= 1 && n <= 10) return n;
                        } catch (NumberFormatException e) {
                            // below
                        }
                        throw new ApiRoutes.BadRequest(
                                "offer must be a whole number from 1 to 10, got '" + abbreviate(x) + "'");
                    })
                    .orElse(3);
            var now = Instant.now();
            return onSuccess(
                    qualify.lead(leadId)
                            .thenCompose(st -> !st.known()
                                    ? java.util.concurrent.CompletableFuture.completedFuture(null)
                                    : booking.plan(
                                            st.qualification() != null
                                                    ? st.qualification()
                                                    : Qualification.empty(Qualification.Channel.CSR, now),
                                            now,
                                            offer)),
                    p -> {
                        if (p == null) return error(StatusCodes.NOT_FOUND, "not_found", "no lead with id " + leadId);
                        var out = new LinkedHashMap<String, Object>();
                        out.put("leadId", leadId);
                        out.put("flow", p.decision().flow());
                        out.put("rule", p.decision().rule());
                        out.put("board", p.board());
                        out.put("offer", p.offer());
                        return ok(out);
                    });
        });
    }

    private Route body(Function<JsonNode, Route> inner) {
        return entity(Unmarshaller.entityToString(), text -> {
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ApiRoutes.BadRequest(
                        "body is not valid JSON: " + abbreviate(String.valueOf(e.getOriginalMessage())));
            }
            if (node == null || !node.isObject()) throw new ApiRoutes.BadRequest("body must be a JSON object");
            return inner.apply(node);
        });
    }

    private static boolean has(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    private static String text(JsonNode node, String field) {
        var v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank())
            throw new ApiRoutes.BadRequest("\"" + field + "\" must be a non-empty string");
        return v.asText().strip();
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiRoutes.BadRequest(
                    "'" + field + "' must be a date such as 2026-12-08, got '" + abbreviate(text) + "'");
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String field, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiRoutes.BadRequest("'" + field + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    private Route ok(Object body) {
        return complete(StatusCodes.OK, body, json);
    }

    private Route error(StatusCode status, String code, String message) {
        return complete(status, new ApiRoutes.ApiError(code, message), json);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
