package switchboard.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.common.Json;
import switchboard.lead.PhoneNumbers;
import switchboard.sms.DeliveryStatus;
import switchboard.sms.SmsSendException;
import switchboard.sms.SmsTransport;

/**
 * Sends texts through a Twilio-compatible Messages API: {@code POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json},
 * form-encoded {@code To}, {@code From} (or {@code MessagingServiceSid}), {@code Body}, {@code StatusCallback}, HTTP
 * Basic {@code AccountSid:AuthToken}; the reply is JSON ({@code sid}, {@code status}).
 *
 * <p>A 429 is waited out as its {@code Retry-After} says (seconds or an HTTP date; 1 s when absent), at most
 * {@code maxRateLimitWaits} times and never longer than {@code maxRetryAfter}: the provider did not take the text, so
 * sending it again is safe. Any other 4xx is {@code REJECTED} with Twilio's {@code code} and {@code message}. A 5xx
 * or no answer is {@code UNAVAILABLE} and is <em>not</em> retried here: the text may have been taken, and the caller
 * (which stored that it is sending) decides. Uses the JDK's {@link HttpClient}: one form POST needs no more, and it
 * adds no dependency. Numbers are logged masked, bodies and the token never.
 */
public final class TwilioSms implements SmsTransport {
    private static final Logger log = LoggerFactory.getLogger(TwilioSms.class);
    private static final ObjectMapper JSON = Json.mapper();
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final TwilioSettings settings;
    private final HttpClient http;
    private final String authorization;

    public TwilioSms(TwilioSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    public TwilioSms(TwilioSettings settings) {
        this(
                settings,
                HttpClient.newBuilder().connectTimeout(settings.timeout()).build());
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public CompletionStage<Receipt> send(OutboundSms sms) {
        return attempt(sms, form(sms), 0);
    }

    private CompletableFuture<Receipt> attempt(OutboundSms sms, String form, int waited) {
        var request = HttpRequest.newBuilder(settings.messagesUri())
                .timeout(settings.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        log.warn(
                                "twilio: no answer sending to {}: {}", PhoneNumbers.mask(sms.to()), failure.toString());
                        return CompletableFuture.<Receipt>failedFuture(new SmsSendException(
                                SmsSendException.Kind.UNAVAILABLE, 0, null, "no answer: " + failure, null));
                    }
                    int status = response.statusCode();
                    if (status == 200 || status == 201) return CompletableFuture.completedFuture(receipt(response));
                    if (status == 429) {
                        Duration wait = retryAfter(response);
                        if (waited < settings.maxRateLimitWaits() && wait.compareTo(settings.maxRetryAfter()) <= 0) {
                            log.info(
                                    "twilio: rate limited sending to {}, retrying in {}",
                                    PhoneNumbers.mask(sms.to()),
                                    wait);
                            var delayed = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
                            return CompletableFuture.supplyAsync(() -> null, delayed)
                                    .thenCompose(x -> attempt(sms, form, waited + 1));
                        }
                        return CompletableFuture.<Receipt>failedFuture(
                                error(response, SmsSendException.Kind.RATE_LIMITED, wait));
                    }
                    var kind = status >= 500 ? SmsSendException.Kind.UNAVAILABLE : SmsSendException.Kind.REJECTED;
                    var e = error(response, kind, null);
                    log.warn(
                            "twilio: {} sending to {}: HTTP {} code {}",
                            kind,
                            PhoneNumbers.mask(sms.to()),
                            status,
                            e.providerCode());
                    return CompletableFuture.<Receipt>failedFuture(e);
                })
                .thenCompose(f -> f);
    }

    private String form(OutboundSms sms) {
        var p = new LinkedHashMap<String, String>();
        p.put("To", sms.to());
        if (settings.messagingServiceSid() != null) p.put("MessagingServiceSid", settings.messagingServiceSid());
        else p.put("From", settings.from());
        p.put("Body", sms.body());
        if (sms.statusCallback() != null) p.put("StatusCallback", sms.statusCallback());
        return encode(p);
    }

    static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private Receipt receipt(HttpResponse<String> response) {
        try {
            JsonNode json = JSON.readTree(response.body());
            String sid = text(json, "sid");
            if (sid == null) throw new IllegalArgumentException("no sid");
            return new Receipt(name(), sid, DeliveryStatus.parse(text(json, "status")));
        } catch (Exception e) {
            // Taken (2xx) but unreadable: we cannot know its id, and must not send it again.
            throw new SmsSendException(
                    SmsSendException.Kind.UNAVAILABLE,
                    response.statusCode(),
                    null,
                    "unreadable reply: " + e.getMessage(),
                    null);
        }
    }

    private static SmsSendException error(
            HttpResponse<String> response, SmsSendException.Kind kind, Duration retryAfter) {
        String code = null, message = "HTTP " + response.statusCode();
        try {
            JsonNode json = JSON.readTree(response.body());
            code = text(json, "code");
            String m = text(json, "message");
            if (m != null) message = message + ": " + m;
        } catch (Exception notJson) {
            // a proxy's HTML error page: the status says enough
        }
        return new SmsSendException(kind, response.statusCode(), code, message, retryAfter);
    }

    private static String text(JsonNode json, String field) {
        var n = json == null ? null : json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Retry-After in seconds or as an HTTP date (RFC 9110); absent or unreadable: 1 s. */
    static Duration retryAfter(HttpResponse<?> response) {
        var v = response.headers().firstValue("Retry-After").map(String::trim).orElse("");
        if (v.isEmpty()) return DEFAULT_RETRY_AFTER;
        try {
            long s = Long.parseLong(v);
            return s < 0 ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(s);
        } catch (NumberFormatException notSeconds) {
            try {
                var when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                var d = Duration.between(java.time.Instant.now(), when.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }
}
