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
import java.util.LinkedHashMap;
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
