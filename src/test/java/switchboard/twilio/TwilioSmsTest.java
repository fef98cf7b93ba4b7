package switchboard.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.sms.DeliveryStatus;
import switchboard.sms.SmsSendException;
import switchboard.sms.SmsTransport.OutboundSms;
import switchboard.sms.SmsTransport.Receipt;

/**
 * The Twilio adapter against a real local HTTP server (WireMock) standing in for Twilio's Messages API. Every
 * request is checked as Twilio documents it: the path with the account SID, HTTP Basic {@code AccountSid:AuthToken},
 * a form-encoded body with {@code To}, {@code From} or {@code MessagingServiceSid}, {@code Body},
 * {@code StatusCallback} and nothing else; a request that does not match gets WireMock's 404 and fails the test.
 */
class TwilioSmsTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "test-auth-token-not-a-secret";
    static final String FROM = "+19195550100";
    static final String TO = "+19195550177";
    static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    static final String CALLBACK = "https://switchboard.example.com/sms/twilio/status";
    static final Set<String> DOCUMENTED = Set.of("To", "From", "MessagingServiceSid", "Body", "StatusCallback");

    private WireMockServer twilio;

    @BeforeEach
    void start() {
        twilio = new WireMockServer(wireMockConfig().dynamicPort());
        twilio.start();
    }

    @AfterEach
    void everyRequestWasAsDocumented() {
        try {
            assertEquals(0, twilio.findAllUnmatchedRequests().size(), "requests no stub matched");
            String basic =
                    "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
            for (var e : twilio.getAllServeEvents()) {
                var r = e.getRequest();
                assertEquals("POST", r.getMethod().getName());
                assertEquals(PATH, r.getUrl());
                assertTrue(r.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
                if (!r.getHeader("Authorization").equals(basic)) continue; // the bad-credential test's own request
                var form = TwilioWebhooks.parseForm(r.getBodyAsString());
                assertTrue(DOCUMENTED.containsAll(form.keySet()), "undocumented parameters: " + form.keySet());
                form.values().forEach(v -> assertEquals(1, v.size(), "each parameter once"));
                assertTrue(form.containsKey("From") ^ form.containsKey("MessagingServiceSid"), "From xor service");
            }
        } finally {
            twilio.stop();
        }
    }

    private TwilioSettings settings() {
        return TwilioSettings.of(URI.create(twilio.baseUrl()), SID, TOKEN, FROM);
    }

    private MappingBuilder send(String to, String body) {
        return post(urlEqualTo(PATH))
                .withBasicAuth(SID, TOKEN)
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("To", equalTo(to))
                .withFormParam("From", equalTo(FROM))
                .withFormParam("Body", equalTo(body))
                .withFormParam("StatusCallback", equalTo(CALLBACK));
    }

    static String created(String sid, String to, String status) {
        return """
                {"account_sid":"%s","api_version":"2010-04-01","body":"…","date_created":"Thu, 24 Aug 2023 05:01:45 +0000",
                 "date_sent":null,"date_updated":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api",
                 "error_code":null,"error_message":null,"from":"%s","messaging_service_sid":null,"num_media":"0",
                 "num_segments":"1","price":null,"price_unit":null,"sid":"%s","status":"%s","subresource_uris":{},
                 "to":"%s","uri":"/2010-04-01/Accounts/%s/Messages/%s.json"}""".formatted(SID, FROM, sid, status, to, SID, sid);
    }

    static String error(int code, String message, int status) {
        return "{\"code\":%d,\"message\":\"%s\",\"more_info\":\"https://www.twilio.com/docs/errors/%d\",\"status\":%d}"
                .formatted(code, message, code, status);
    }

    private Receipt sendNow(TwilioSms sms, OutboundSms m) throws Exception {
        return sms.send(m).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private SmsSendException failure(TwilioSms sms, OutboundSms m) {
        var e = assertThrows(Exception.class, () -> sendNow(sms, m));
        Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
        return assertInstanceOf(SmsSendException.class, c);
    }

    @Test
    void sendsAsDocumentedAndReadsTheSidAndStatus() throws Exception {
        String body = "Hi & welcome = 100% ✓ — Acme\nReply STOP to opt out.";
        twilio.stubFor(send(TO, body)
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("SM11111111111111111111111111111111", TO, "queued"))));
        var receipt = sendNow(new TwilioSms(settings()), new OutboundSms(TO, body, CALLBACK));
        assertEquals(new Receipt("twilio", "SM11111111111111111111111111111111", DeliveryStatus.QUEUED), receipt);
        twilio.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void aMessagingServiceInsteadOfAFromNumber() throws Exception {
        var s = new TwilioSettings(
                URI.create(twilio.baseUrl() + "/"),
                SID,
                TOKEN,
                null,
                "MG0123456789abcdef0123456789abcdef",
                Duration.ofSeconds(5),
                3,
                Duration.ofSeconds(60));
        twilio.stubFor(post(urlEqualTo(PATH))
                .withBasicAuth(SID, TOKEN)
                .withFormParam("To", equalTo(TO))
                .withFormParam("MessagingServiceSid", equalTo("MG0123456789abcdef0123456789abcdef"))
                .withFormParam("From", absent())
                .withFormParam("StatusCallback", absent())
                .withFormParam("Body", equalTo("hello"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("SM2", TO, "accepted"))));
        assertEquals(
                DeliveryStatus.ACCEPTED,
                sendNow(new TwilioSms(s), new OutboundSms(TO, "hello", null)).status());
    }

    @Test
    void aTooManyRequestsIsWaitedOutAsRetryAfterSays() throws Exception {
        twilio.stubFor(send(TO, "hi")
                .inScenario("rate")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("open")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody(error(20429, "Too Many Requests", 429))));
        twilio.stubFor(send(TO, "hi")
                .inScenario("rate")
                .whenScenarioStateIs("open")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("SM3", TO, "queued"))));
        var receipt = sendNow(new TwilioSms(settings()), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals("SM3", receipt.providerId());
        var events = twilio.getAllServeEvents(); // newest first
        assertEquals(2, events.size());
        long gap = events.get(0).getRequest().getLoggedDate().getTime()
                - events.get(1).getRequest().getLoggedDate().getTime();
        assertTrue(gap >= 990, "the retry came " + gap + " ms after the 429, Retry-After said 1 s");
    }

    @Test
    void aRetryAfterLongerThanWeWaitFailsAsRateLimitedAtOnce() {
        twilio.stubFor(send(TO, "hi")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "120")
                        .withBody(error(20429, "Too Many Requests", 429))));
        var e = failure(new TwilioSms(settings()), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofSeconds(120), e.retryAfter());
        assertEquals("20429", e.providerCode());
        twilio.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void rateLimitedTooOftenGivesUp() {
        twilio.stubFor(send(TO, "hi").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        var s = new TwilioSettings(
                URI.create(twilio.baseUrl()), SID, TOKEN, FROM, null, Duration.ofSeconds(5), 2, Duration.ofSeconds(60));
        var e = failure(new TwilioSms(s), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.RATE_LIMITED, e.kind());
        twilio.verify(3, postRequestedFor(urlEqualTo(PATH))); // the first and two waits
    }

    @Test
    void aRefusedTextCarriesTwiliosCodeAndMessage() {
        twilio.stubFor(send("+15005550001", "hi")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(error(21211, "The 'To' number +15005550001 is not a valid phone number.", 400))));
        var e = failure(new TwilioSms(settings()), new OutboundSms("+15005550001", "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.REJECTED, e.kind());
        assertEquals(400, e.httpStatus());
        assertEquals("21211", e.providerCode());
        assertTrue(e.getMessage().contains("not a valid phone number"), e.getMessage());
    }

    @Test
    void aWrongTokenIsRefusedAndNeverSentInTheClear() {
        String good =
                "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.stubFor(post(urlEqualTo(PATH))
                .withHeader("Authorization", notContaining(good.substring(6)))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody(error(20003, "Authenticate", 401))));
        var wrong = TwilioSettings.of(URI.create(twilio.baseUrl()), SID, "wrong-token", FROM);
        var e = failure(new TwilioSms(wrong), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.REJECTED, e.kind());
        assertEquals("20003", e.providerCode());
        assertTrue(!wrong.toString().contains("wrong-token"), wrong.toString());
        var body = twilio.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertTrue(!body.contains("wrong-token"), "the token goes in the Authorization header only");
    }

    @Test
    void aServerErrorIsUnavailableAndNotRetried() {
        twilio.stubFor(send(TO, "hi").willReturn(aResponse().withStatus(503).withBody("<html>busy</html>")));
        var e = failure(new TwilioSms(settings()), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.UNAVAILABLE, e.kind());
        assertEquals(503, e.httpStatus());
        twilio.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anUnreadableSuccessIsUnavailableNotResent() {
        twilio.stubFor(send(TO, "hi").willReturn(aResponse().withStatus(201).withBody("not json")));
        var e = failure(new TwilioSms(settings()), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.UNAVAILABLE, e.kind());
        twilio.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void noServerIsUnavailable() {
        int port = twilio.port();
        var s = TwilioSettings.of(URI.create("http://127.0.0.1:" + port), SID, TOKEN, FROM);
        twilio.stop();
        var e = failure(new TwilioSms(s), new OutboundSms(TO, "hi", CALLBACK));
        assertEquals(SmsSendException.Kind.UNAVAILABLE, e.kind());
        assertEquals(0, e.httpStatus());
        twilio.start(); // for the after-each check
    }
}
