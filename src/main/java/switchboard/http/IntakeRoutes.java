package switchboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import switchboard.intake.IntakeAuth;
import switchboard.intake.IntakeDesk;
import switchboard.intake.IntakeForms;

/**
 * {@code POST /api/intake}: a web form or an online booking the visitor left, posted by the website with the
 * intake's own credentials (its token or an HMAC signature of the body — never the API token, which it does not
 * need and does not get). 201 stored, 200 a repeat of a stored form id; 401 credentials, 400 malformed, 422 a value
 * that cannot be used, 404 intake not configured, 413 a body over 64 KiB.
 */
final class IntakeRoutes {
    static final long MAX_BODY = 64 * 1024;

    private final IntakeDesk intake;
    private final ObjectMapper mapper;
    private final Marshaller<Object, RequestEntity> json;

    IntakeRoutes(IntakeDesk intake, ObjectMapper mapper) {
        this.intake = intake;
        this.mapper = mapper;
        this.json = Jackson.marshaller(mapper);
    }

    Route route() {
        return post(() -> {
            if (!intake.enabled())
                return error(
                        StatusCodes.NOT_FOUND,
                        "intake_disabled",
                        "web-form intake is not enabled on this node: set switchboard.intake.token"
                                + " (SWITCHBOARD_INTAKE_TOKEN) or switchboard.intake.secret (SWITCHBOARD_INTAKE_SECRET)");
            return extractRequestEntity(e -> {
                if (e.getContentLengthOption().isPresent()
                        && e.getContentLengthOption().getAsLong() > MAX_BODY)
                    return error(
                            StatusCodes.PAYLOAD_TOO_LARGE,
                            "too_large",
                            "the body is over " + MAX_BODY / 1024 + " KiB; a form is much smaller");
                return credentials();
            });
        });
    }

    /** The raw body (a signature covers exactly these bytes) with both credential headers. */
    private Route credentials() {
        return optionalHeaderValueByName(
                "Authorization",
                auth -> optionalHeaderValueByName(
                        IntakeAuth.SIGNATURE_HEADER,
                        sig -> withSizeLimit(
                                MAX_BODY,
                                () -> entity(
                                        Unmarshaller.entityToByteString(),
                                        bytes -> handle(auth, sig, bytes.toArray())))));
    }

    private Route handle(Optional<String> auth, Optional<String> sig, byte[] body) {
        var verdict = intake.auth()
                .check(auth.orElse(null), sig.orElse(null), body, Instant.now().getEpochSecond());
        if (verdict instanceof IntakeAuth.Disabled)
            return error(StatusCodes.NOT_FOUND, "intake_disabled", "web-form intake is not enabled on this node");
        if (verdict instanceof IntakeAuth.Rejected r)
            return error(StatusCodes.UNAUTHORIZED, "unauthorized", r.reason());
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            return error(StatusCodes.BAD_REQUEST, "bad_request", "body is not valid JSON");
        }
        if (node == null || !node.isObject())
            return error(StatusCodes.BAD_REQUEST, "bad_request", "body must be a JSON object");
        IntakeForms.Posted posted;
        try {
            posted = posted(node);
        } catch (ApiRoutes.BadRequest e) {
            return error(StatusCodes.BAD_REQUEST, "bad_request", e.getMessage());
        }
        var checked = intake.check(posted);
        if (checked instanceof IntakeForms.Malformed m)
            return error(StatusCodes.BAD_REQUEST, "bad_request", m.reason());
        if (checked instanceof IntakeForms.Unusable u)
            return error(StatusCodes.UNPROCESSABLE_ENTITY, "unprocessable", u.reason());
        var submission = ((IntakeForms.Valid) checked).submission();
        return onSuccess(intake.submit(submission, Instant.now()), ack -> {
            var out = new LinkedHashMap<String, Object>();
            out.put("lead", ack.leadId());
            out.put("duplicate", ack.duplicate());
            if (ack.recoveryId() != null) {
                var r = new LinkedHashMap<String, Object>();
                r.put("id", ack.recoveryId());
                r.put("status", ack.recoveryStatus());
                out.put("recovery", r);
            } else {
                out.put("recovery", null);
            }
            return complete(ack.duplicate() ? StatusCodes.OK : StatusCodes.CREATED, out, json);
        });
    }

    /** The JSON's fields, their types checked: strings (an id may be a number), {@code complete} a boolean. */
    private static IntakeForms.Posted posted(JsonNode n) {
        if (n.has("utm"))
            throw new ApiRoutes.BadRequest("campaign fields are flat: utm_source, utm_medium, utm_campaign, utm_term,"
                    + " utm_content (not a \"utm\" object)");
        var utm = new LinkedHashMap<String, String>();
        for (String f : IntakeForms.UTM_FIELDS) {
            String v = string(n, f);
            if (v != null) utm.put(f, v);
        }
        var complete = n.get("complete");
        if (complete != null && !complete.isNull() && !complete.isBoolean())
            throw new ApiRoutes.BadRequest("\"complete\" must be true or false");
        var id = n.get("id");
        String idText = null;
        if (id != null && !id.isNull()) {
            if (id.isTextual()) idText = id.asText();
            else if (id.isIntegralNumber()) idText = id.asText();
            else throw new ApiRoutes.BadRequest("\"id\" must be a string");
        }
        return new IntakeForms.Posted(
                idText,
                string(n, "name"),
                string(n, "phone"),
                string(n, "zip"),
                string(n, "service"),
                string(n, "message"),
                string(n, "source"),
                complete == null || complete.isNull() ? null : complete.asBoolean(),
                utm);
    }

    private static String string(JsonNode n, String field) {
        var v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual())
            throw new ApiRoutes.BadRequest("\"" + field + "\" must be a string"
                    + (field.equals("zip") || field.equals("phone")
                            ? " (in quotes: leading zeros and '+' matter)"
                            : ""));
        return v.asText();
    }

    private Route error(StatusCode status, String code, String message) {
        return complete(status, new ApiRoutes.ApiError(code, message), json);
    }
}
