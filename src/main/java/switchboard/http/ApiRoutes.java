package switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.common.HealthReport;
import switchboard.lead.CallerIdentification;
import switchboard.metrics.Metrics;
import switchboard.readside.ReadStore;
import switchboard.readside.Views.CallFilter;
import switchboard.readside.Views.LeadFilter;

/**
 * The HTTP contract. {@code /api/**} needs {@code Authorization: Bearer <token>}; {@code /healthz},
 * {@code /readyz} and {@code /metrics} are open for probes and scrapers. Every error is a JSON body
 * {@code {"error": code, "message": text}}; bad input is a 4xx, never a 500.
 */
public final class ApiRoutes extends AllDirectives {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    static final int MAX_LIMIT = 1000;
    /** The Prometheus text format's content type ({@code text/plain; version=0.0.4; charset=utf-8}). */
    private static final ContentType.NonBinary METRICS_CONTENT_TYPE =
            (ContentType.NonBinary) ContentTypes.parse(Metrics.CONTENT_TYPE);

    public record ApiError(String error, String message) {}

    private final ReadStore store;
    private final Metrics metrics;
    private final byte[] token;
    private final Supplier<CompletionStage<HealthReport>> readiness;
    private final String tenant;
    private final String region;
    private final Marshaller<Object, RequestEntity> json;
    private final ObjectMapper mapper;
    private final switchboard.callback.CallbackControl callbacks;
    private final switchboard.overflow.OverflowControl overflow;

    private final switchboard.qualify.QualifyDesk qualify;
    private final BookingRoutes bookingRoutes;
    private final IntakeRoutes intakeRoutes;

    public ApiRoutes(
            ReadStore store,
            Metrics metrics,
            String apiToken,
            Supplier<CompletionStage<HealthReport>> readiness,
            ObjectMapper mapper,
            String tenant,
            String region,
            switchboard.callback.CallbackControl callbacks,
            switchboard.overflow.OverflowControl overflow,
            switchboard.booking.BookingDesk booking,
            switchboard.qualify.QualifyDesk qualify,
            switchboard.intake.IntakeDesk intake) {
        this.qualify = qualify;
        this.intakeRoutes = new IntakeRoutes(intake, mapper);
        this.bookingRoutes = new BookingRoutes(booking, qualify, mapper, this::leadIdOf);
        this.callbacks = callbacks;
        this.overflow = overflow;
        this.store = store;
        this.metrics = metrics;
        this.token = apiToken.getBytes(StandardCharsets.UTF_8);
        this.readiness = readiness;
        this.tenant = tenant;
        this.region = region;
        this.json = Jackson.marshaller(mapper);
        this.mapper = mapper;
    }

    public Route routes() {
        return handleExceptions(
                exceptions(),
                () -> handleRejections(
                        rejections(),
                        () -> concat(
                                path("healthz", () -> get(() -> ok(Map.of("status", "up")))),
                                path(
                                        "readyz",
                                        () -> get(() -> onSuccess(
                                                readiness.get(),
                                                r -> complete(
                                                        r.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                                                        r,
                                                        json)))),
                                path(
                                        "metrics",
                                        () -> get(() -> complete(HttpResponse.create()
                                                .withEntity(
                                                        HttpEntities.create(METRICS_CONTENT_TYPE, metrics.render()))))),
                                // Before the API's token check: a website posts with the intake's own credentials.
                                // Its rejections are answered here: none may fall through to the token-checked /api.
                                path(
                                        PathMatchers.segment("api").slash("intake"),
                                        () -> handleRejections(rejections(), intakeRoutes::route)),
                                pathPrefix(
                                        "api",
                                        () -> authorized(
                                                () -> concat(
                                                        path("calls", () -> get(this::listCalls)),
                                                        path(
                                                                PathMatchers.segment("calls")
                                                                        .slash(PathMatchers.segment()),
                                                                id -> get(() -> getCall(id))),
                                                        path("leads", () -> get(this::listLeads)),
                                                        path(
                                                                PathMatchers.segment("leads")
                                                                        .slash(PathMatchers.segment()),
                                                                id -> get(() -> getLead(id))),
                                                        path(
                                                                PathMatchers.segment("leads")
                                                                        .slash(PathMatchers.segment())
                                                                        .slash("cancel"),
                                                                id -> post(() -> cancel(id))),
                                                        path(
                                                                PathMatchers.segment("leads")
                                                                        .slash(PathMatchers.segment())
                                                                        .slash("callback"),
                                                                id -> post(() -> requestCallback(id))),
                                                        path(
                                                                PathMatchers.segment("leads")
                                                                        .slash(PathMatchers.segment())
                                                                        .slash("time-zone"),
                                                                id -> concat(
                                                                        put(() -> setTimeZone(id)),
                                                                        delete(() -> clearTimeZone(id)))),
                                                        bookingRoutes.routes(),
                                                        path("callbacks", () -> get(this::listCallbacks)),
                                                        path(
                                                                PathMatchers.segment("dnc")
                                                                        .slash(PathMatchers.segment()),
                                                                number -> concat(
                                                                        put(() -> dncAdd(number)),
                                                                        delete(() -> dncRemove(number)))),
                                                        path("queues", () -> get(this::listQueues)),
                                                        path(
                                                                PathMatchers.segment("overflow")
                                                                        .slash("policies"),
                                                                () -> get(() -> onSuccess(
                                                                        overflow.policies(),
                                                                        ps -> ok(Map.of(
                                                                                "enabled",
                                                                                overflow.enabled(),
                                                                                "policies",
                                                                                ps.stream()
                                                                                        .map(ApiRoutes::policyJson)
                                                                                        .toList()))))),
                                                        path(
                                                                PathMatchers.segment("overflow")
                                                                        .slash("policies")
                                                                        .slash(PathMatchers.segment()),
                                                                queue -> concat(
                                                                        put(() -> setPolicy(queue)),
                                                                        delete(
                                                                                () -> onSuccess(
                                                                                        overflow.removePolicy(queue),
                                                                                        had -> had
                                                                                                ? ok(Map.of(
                                                                                                        "queue", queue,
                                                                                                        "status",
                                                                                                        "removed"))
                                                                                                : error(
                                                                                                        StatusCodes
                                                                                                                .NOT_FOUND,
                                                                                                        "not_found",
                                                                                                        "queue " + queue
                                                                                                                + " has no overflow policy")))))))))));
    }

    /** {@code GET /api/queues}: every queue of the PBX now — waiting callers (longest first), members, service level, policy. */
    private Route listQueues() {
        return onSuccess(overflow.policies(), policies -> {
            var byQueue = new java.util.HashMap<String, switchboard.overflow.OverflowPolicy>();
            for (var p : policies) byQueue.put(p.queue(), p);
            var now = java.time.Instant.now();
            var out = new java.util.ArrayList<Map<String, Object>>();
            for (var q : overflow.queues()) {
                var m = new java.util.LinkedHashMap<String, Object>();
                m.put("queue", q.queue());
                m.put(
                        "waiting",
                        q.waiting().stream()
                                .map(c -> {
                                    var w = new java.util.LinkedHashMap<String, Object>();
                                    w.put("linkedId", c.linkedId());
                                    w.put("caller", c.callerIdNum());
                                    w.put("position", c.position());
                                    w.put("waitSeconds", c.waited(now).toSeconds());
                                    w.put("memberRinging", c.ringingSince() != null);
                                    return w;
                                })
                                .toList());
                m.put(
                        "members",
                        q.members().stream()
                                .map(x -> Map.of(
                                        "interface",
                                        x.iface(),
                                        "name",
                                        x.name() == null ? x.iface() : x.name(),
                                        "state",
                                        x.state().name().toLowerCase()))
                                .toList());
                m.put("free", q.free());
                m.put("longestWaitSeconds", q.longestWait(now).toSeconds());
                var st = new java.util.LinkedHashMap<String, Object>();
                st.put("answered", q.stats().answered());
                st.put("answeredWithin20s", q.stats().answeredWithinTarget());
                st.put("abandoned", q.stats().abandoned());
                st.put("movedOut", q.stats().movedOut());
                st.put("serviceLevel", q.stats().serviceLevel());
                m.put("stats", st);
                var p = byQueue.get(q.queue());
                m.put("overflowPolicy", p == null ? null : policyJson(p));
                out.add(m);
            }
            return ok(Map.of("overflowEnabled", overflow.enabled(), "queues", out));
        });
    }

    static Map<String, Object> policyJson(switchboard.overflow.OverflowPolicy p) {
        var s = p.spec();
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("queue", s.queue());
        m.put("enabled", s.enabled());
        m.put("maxWait", s.maxWait());
        m.put("maxWaiting", s.maxWaiting());
        m.put("whenNoMemberAvailable", s.whenNoMemberAvailable());
        m.put("sources", s.sources());
        m.put("hours", s.hours());
        m.put("to", s.to());
        return m;
    }

    /**
     * {@code PUT /api/overflow/policies/{queue}} with e.g. {@code {"maxWait": "30s", "whenNoMemberAvailable": true,
     * "to": "queue:overflow"}}: replaces the queue's policy; the next look at the queues uses it.
     */
    private Route setPolicy(String queue) {
        return entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), body -> {
            switchboard.overflow.OverflowPolicy policy;
            try {
                com.fasterxml.jackson.databind.JsonNode n = mapper.readTree(body);
                if (n == null || !n.isObject())
                    throw new BadRequest(
                            "body must be a JSON object, e.g. {\"maxWait\": \"30s\", \"to\": \"queue:overflow\"}");
                for (var it = n.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!java.util.Set.of(
                                    "enabled",
                                    "maxWait",
                                    "maxWaiting",
                                    "whenNoMemberAvailable",
                                    "sources",
                                    "hours",
                                    "to",
                                    "queue")
                            .contains(f)) {
                        throw new BadRequest("unknown field '" + abbreviate(f)
                                + "' (known: enabled, maxWait, maxWaiting, whenNoMemberAvailable, sources, hours, to)");
                    }
                }
                if (n.has("maxWaiting") && !n.get("maxWaiting").canConvertToInt())
                    throw new BadRequest("maxWaiting must be a whole number");
                var sources = new java.util.ArrayList<String>();
                if (n.has("sources")) {
                    if (!n.get("sources").isArray())
                        throw new BadRequest("sources must be a list of lead sources, e.g. [\"LSA\", \"PPC\"]");
                    n.get("sources").forEach(s -> sources.add(s.asText()));
                }
                policy = switchboard.overflow.OverflowPolicy.parse(
                        queue,
                        !n.has("enabled") || n.get("enabled").asBoolean(),
                        n.has("maxWait") && !n.get("maxWait").isNull()
                                ? n.get("maxWait").asText()
                                : null,
                        n.has("maxWaiting") ? n.get("maxWaiting").asInt() : 0,
                        n.has("whenNoMemberAvailable")
                                && n.get("whenNoMemberAvailable").asBoolean(),
                        sources,
                        n.has("hours") && !n.get("hours").isNull()
                                ? n.get("hours").asText()
                                : null,
                        n.has("to") ? n.get("to").asText() : null);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadRequest("body is not valid JSON: " + abbreviate(e.getOriginalMessage()));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(abbreviate(e.getMessage()));
            }
            return onSuccess(overflow.setPolicy(policy), p -> ok(policyJson(p)));
        });
    }

    private String leadIdOf(String idOrNumber) {
        return idOrNumber.contains(":") ? idOrNumber : leadIdOfNumber(idOrNumber);
    }

    private Route controlResult(String leadId, switchboard.callback.CallbackControl.Result r, String done) {
        return switch (r) {
            case DONE -> ok(Map.of("leadId", leadId, "status", done));
            case NO_SUCH_LEAD -> error(StatusCodes.NOT_FOUND, "not_found", "no lead with id " + leadId);
            case NOTHING_OPEN ->
                error(StatusCodes.CONFLICT, "nothing_open", "lead " + leadId + " has no open recovery");
            case NOT_CALLABLE ->
                error(
                        StatusCodes.CONFLICT,
                        "not_callable",
                        "lead " + leadId + " has no number that can be called back");
        };
    }

    private Route cancel(String idOrNumber) {
        String leadId = leadIdOf(idOrNumber);
        return onSuccess(
                callbacks.cancel(leadId, "cancelled through the API"), r -> controlResult(leadId, r, "cancelled"));
    }

    private Route requestCallback(String idOrNumber) {
        String leadId = leadIdOf(idOrNumber);
        return onSuccess(callbacks.request(leadId, "api"), r -> controlResult(leadId, r, "requested"));
    }

    /** {@code PUT /api/leads/{id}/time-zone} with {@code {"timeZone": "America/Denver"}}: the calling window uses that zone. */
    private Route setTimeZone(String idOrNumber) {
        String leadId = leadIdOf(idOrNumber);
        return entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), body -> {
            String zone;
            try {
                com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(body);
                com.fasterxml.jackson.databind.JsonNode field = node == null ? null : node.get("timeZone");
                if (field == null || !field.isTextual())
                    throw new BadRequest(
                            "body must be a JSON object with a \"timeZone\" string, e.g. {\"timeZone\": \"America/Denver\"}");
                zone = field.asText().strip();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadRequest("body is not valid JSON: " + abbreviate(e.getOriginalMessage()));
            }
            if (!switchboard.lead.LeadEntity.validZone(zone))
                throw new BadRequest(
                        "'" + abbreviate(zone) + "' is not a time zone (use an IANA id such as America/Denver)");
            final String z = java.time.ZoneId.of(zone).getId();
            return onSuccess(
                    callbacks.timeZone(leadId, z),
                    r -> r == switchboard.callback.CallbackControl.Result.DONE
                            ? ok(Map.of("leadId", leadId, "timeZone", z))
                            : controlResult(leadId, r, "set"));
        });
    }

    private Route clearTimeZone(String idOrNumber) {
        String leadId = leadIdOf(idOrNumber);
        return onSuccess(
                callbacks.timeZone(leadId, null),
                r -> r == switchboard.callback.CallbackControl.Result.DONE
                        ? ok(Map.of("leadId", leadId, "timeZone", "from the number"))
                        : controlResult(leadId, r, "cleared"));
    }

    private Route listCallbacks() {
        return parameterOptional(
                "status",
                status -> parameterOptional("limit", limit -> {
                    var filter = status.map(
                                    s -> parseEnum(switchboard.readside.Views.CallbackFilter.class, "status", s))
                            .orElse(switchboard.readside.Views.CallbackFilter.OPEN);
                    return onSuccess(store.callbacks(filter, parseLimit(limit)), this::ok);
                }));
    }

    private Route dncAdd(String number) {
        java.util.concurrent.CompletionStage<String> added;
        try {
            added = callbacks.dncAdd(number);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(
                    "'" + abbreviate(number) + "' is not a valid phone number (use E.164, e.g. +19195551234)");
        }
        return onSuccess(added, e164 -> ok(Map.of("number", e164, "listed", true)));
    }

    private Route dncRemove(String number) {
        java.util.concurrent.CompletionStage<Boolean> removed;
        try {
            removed = callbacks.dncRemove(number);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(
                    "'" + abbreviate(number) + "' is not a valid phone number (use E.164, e.g. +19195551234)");
        }
        return onSuccess(
                removed,
                was -> was
                        ? ok(Map.of("listed", false))
                        : error(StatusCodes.NOT_FOUND, "not_found", "not on the do-not-call list"));
    }

    private Route listCalls() {
        return parameterOptional(
                "status",
                status -> parameterOptional(
                        "since",
                        since -> parameterOptional("limit", limit -> {
                            var filter = status.map(s -> parseEnum(CallFilter.class, "status", s));
                            var from = since.map(ApiRoutes::parseInstant);
                            int n = parseLimit(limit);
                            return onSuccess(store.calls(filter, from, n), this::ok);
                        })));
    }

    private Route getCall(String id) {
        return onSuccess(
                store.call(id),
                found -> found.map(this::ok)
                        .orElseGet(() -> error(StatusCodes.NOT_FOUND, "not_found", "no call with id " + id)));
    }

    private Route listLeads() {
        return parameterOptional(
                "status",
                status -> parameterOptional(
                        "phone",
                        phone -> parameterOptional("limit", limit -> {
                            if (phone.isPresent()) {
                                String leadId = leadIdOfNumber(phone.get());
                                return onSuccess(
                                        store.lead(leadId),
                                        found -> ok(found.map(d -> java.util.List.of(d.lead()))
                                                .orElse(java.util.List.of())));
                            }
                            var filter = status.map(s -> parseEnum(LeadFilter.class, "status", s));
                            return onSuccess(store.leads(filter, parseLimit(limit)), this::ok);
                        })));
    }

    /** A lead id ({@code tenant:+E164}, …) or, for convenience, a bare phone number of this node's tenant. */
    private Route getLead(String idOrNumber) {
        String leadId = idOrNumber.contains(":") ? idOrNumber : leadIdOfNumber(idOrNumber);
        // The read model has the lead's calls and recovery; what it needs, its booking and its texts come from the lead
        // itself.
        return onSuccess(
                store.lead(leadId),
                found -> found.<Route>map(view -> onSuccess(qualify.lead(leadId), st -> {
                            com.fasterxml.jackson.databind.node.ObjectNode node = mapper.valueToTree(view);
                            BookingRoutes.view(st).forEach((k, v) -> node.set(k, mapper.valueToTree(v)));
                            node.set("texts", mapper.valueToTree(st.texts())); // the SMS conversation (issue 18)
                            return ok(node);
                        }))
                        .orElseGet(() -> error(StatusCodes.NOT_FOUND, "not_found", "no lead with id " + leadId)));
    }

    private String leadIdOfNumber(String number) {
        return CallerIdentification.leadIdFor(tenant, number, region)
                .orElseThrow(() -> new BadRequest(
                        "'" + abbreviate(number) + "' is not a valid phone number (use E.164, e.g. +19195551234)"));
    }

    private Route authorized(Supplier<Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> {
            if (header.isEmpty())
                return error(StatusCodes.UNAUTHORIZED, "unauthorized", "missing Authorization: Bearer <token>");
            String h = header.get();
            if (!h.regionMatches(true, 0, "Bearer ", 0, 7))
                return error(StatusCodes.UNAUTHORIZED, "unauthorized", "Authorization must be 'Bearer <token>'");
            byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token))
                return error(StatusCodes.UNAUTHORIZED, "unauthorized", "invalid token");
            return inner.get();
        });
    }

    private Route ok(Object body) {
        return complete(StatusCodes.OK, body, json);
    }

    private Route error(StatusCode status, String code, String message) {
        return complete(status, new ApiError(code, message), json);
    }

    private static int parseLimit(Optional<String> limit) {
        if (limit.isEmpty()) return 100;
        try {
            int n = Integer.parseInt(limit.get().trim());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BadRequest(
                "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + abbreviate(limit.get()) + "'");
    }

    private static Instant parseInstant(String s) {
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(
                    "since must be an ISO-8601 instant such as 2026-07-01T00:00:00Z, got '" + abbreviate(s) + "'");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String param, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw new BadRequest(param + " must be one of " + allowed + ", got '" + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Bad input from the client: becomes a 400 with this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(Throwable.class, t -> {
                    Throwable cause = t;
                    while ((cause instanceof CompletionException
                                    || cause instanceof java.util.concurrent.ExecutionException)
                            && cause.getCause() != null) cause = cause.getCause();
                    if (cause instanceof BadRequest)
                        return error(StatusCodes.BAD_REQUEST, "bad_request", cause.getMessage());
                    for (Throwable c = t; c != null; c = c.getCause())
                        if (c instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException)
                            return error(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", "the body is too large");
                    if (cause instanceof ReadStore.ReadSideUnavailable) {
                        log.warn("API request failed: {}", cause.getMessage());
                        return error(
                                StatusCodes.SERVICE_UNAVAILABLE,
                                "unavailable",
                                "the database is not answering; try again shortly");
                    }
                    log.error("API request failed", cause);
                    return error(
                            StatusCodes.INTERNAL_SERVER_ERROR, "internal", "internal error; see the switchboard log");
                })
                .build();
    }

    private RejectionHandler rejections() {
        return RejectionHandler.newBuilder()
                .handleAll(
                        MethodRejection.class,
                        rs -> error(
                                StatusCodes.METHOD_NOT_ALLOWED,
                                "method_not_allowed",
                                "allowed: "
                                        + rs.stream()
                                                .map(r -> r.supported().name())
                                                .distinct()
                                                .collect(Collectors.joining(", "))))
                .handle(
                        org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection.class,
                        r -> r.getCause() instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException
                                ? error(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", "the body is too large")
                                : error(StatusCodes.BAD_REQUEST, "bad_request", "the body cannot be read"))
                .handle(Rejection.class, r -> error(StatusCodes.BAD_REQUEST, "bad_request", r.toString()))
                .handleNotFound(error(StatusCodes.NOT_FOUND, "not_found", "no such resource"))
                .build();
    }
}
