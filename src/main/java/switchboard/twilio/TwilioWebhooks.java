package switchboard.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import switchboard.sms.DeliveryStatus;
import switchboard.sms.DeliveryUpdate;
import switchboard.sms.InboundSms;

/**
 * What Twilio POSTs to us, form-encoded: an inbound message ({@code MessageSid}, {@code From}, {@code To},
 * {@code Body}, {@code NumMedia}, …) or a status callback ({@code MessageSid}, {@code MessageStatus},
 * {@code ErrorCode}, …). Parameters not read here are kept in the form for the signature (Twilio adds some without
 * notice: the signature covers them all).
 */
public final class TwilioWebhooks {
    private TwilioWebhooks() {}

    /** Decodes {@code application/x-www-form-urlencoded} (UTF-8), keeping repeated names and their order. */
    public static Map<String, List<String>> parseForm(String body) {
        var out = new LinkedHashMap<String, List<String>>();
        if (body == null || body.isEmpty()) return out;
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s; // a stray '%': keep it as sent (the signature then decides)
        }
    }

    /** A status callback, or empty when it lacks a MessageSid. */
    public static Optional<DeliveryUpdate> statusCallback(Map<String, List<String>> form) {
        String sid = first(form, "MessageSid").or(() -> first(form, "SmsSid")).orElse(null);
        if (sid == null || sid.isBlank()) return Optional.empty();
        String status =
                first(form, "MessageStatus").or(() -> first(form, "SmsStatus")).orElse(null);
        String error = first(form, "ErrorCode").filter(s -> !s.isBlank()).orElse(null);
        return Optional.of(new DeliveryUpdate("twilio", sid, DeliveryStatus.parse(status), error));
    }

    /** An inbound message, or empty when it lacks a sender. */
    public static Optional<InboundSms> inbound(Map<String, List<String>> form) {
        String from = first(form, "From").orElse(null);
        if (from == null || from.isBlank()) return Optional.empty();
        int media;
        try {
            media = Integer.parseInt(first(form, "NumMedia").orElse("0").trim());
        } catch (NumberFormatException e) {
            media = 0;
        }
        return Optional.of(new InboundSms(
                "twilio",
                first(form, "MessageSid").or(() -> first(form, "SmsSid")).orElse(null),
                from,
                first(form, "To").orElse(null),
                first(form, "Body").orElse(""),
                media));
    }

    private static Optional<String> first(Map<String, List<String>> form, String name) {
        var v = form.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }
}
