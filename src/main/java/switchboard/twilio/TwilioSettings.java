package switchboard.twilio;

import java.net.URI;
import java.time.Duration;

/**
 * A Twilio-compatible account: Twilio itself ({@code https://api.twilio.com}), SignalWire
 * ({@code https://SPACE.signalwire.com/api/laml}) or another that copies its Messages API.
 *
 * @param baseUrl the API root, before {@code /2010-04-01}
 * @param accountSid the account (SignalWire: the project id); the Basic-auth user
 * @param authToken the secret: the Basic-auth password and the webhook signing key. Read from the environment or a
 *     file, never logged ({@link #toString} leaves it out)
 * @param from our number (E.164), or null when {@code messagingServiceSid} is set
 * @param messagingServiceSid Twilio's Messaging Service (sender pool, 10DLC campaign), or null
 * @param timeout per request
 * @param maxRateLimitWaits how many 429 replies one text may wait out before it fails as RATE_LIMITED
 * @param maxRetryAfter the longest Retry-After waited out; a longer one fails the text at once (the caller queues it)
 */
public record TwilioSettings(
        URI baseUrl,
        String accountSid,
        String authToken,
        String from,
        String messagingServiceSid,
        Duration timeout,
        int maxRateLimitWaits,
        Duration maxRetryAfter) {

    public TwilioSettings {
        if (baseUrl == null
                || !(baseUrl.getScheme().equals("https") || baseUrl.getScheme().equals("http")))
            throw new IllegalArgumentException("twilio base-url must be an http(s) URL");
        if (accountSid == null || !accountSid.matches("[A-Za-z0-9-]{2,64}"))
            throw new IllegalArgumentException("twilio account-sid is letters, digits and '-'");
        if (authToken == null || authToken.isBlank())
            throw new IllegalArgumentException("twilio auth-token is required");
        if ((from == null) == (messagingServiceSid == null))
            throw new IllegalArgumentException("twilio: set exactly one of from and messaging-service-sid");
        if (maxRateLimitWaits < 0) throw new IllegalArgumentException("twilio max-rate-limit-waits must be >= 0");
    }

    public static TwilioSettings of(URI baseUrl, String accountSid, String authToken, String from) {
        return new TwilioSettings(
                baseUrl, accountSid, authToken, from, null, Duration.ofSeconds(10), 3, Duration.ofSeconds(60));
    }

    /** {@code {base}/2010-04-01/Accounts/{AccountSid}/Messages.json} */
    public URI messagesUri() {
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
    }

    @Override
    public String toString() {
        return "TwilioSettings[" + baseUrl + ", account " + accountSid + ", auth token (hidden), "
                + (from != null ? "from " + switchboard.lead.PhoneNumbers.mask(from) : "service " + messagingServiceSid)
                + "]";
    }
}
