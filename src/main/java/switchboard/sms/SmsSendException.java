package switchboard.sms;

import java.time.Duration;

/**
 * A text the provider did not take. {@link Kind#REJECTED}: the provider refused this text (a bad number, an
 * opted-out recipient, a bad credential) — sending it again will not help. {@link Kind#RATE_LIMITED}: too many too
 * fast, try after {@code retryAfter}. {@link Kind#UNAVAILABLE}: no answer or a server error — the text may or may
 * not have been taken, so whoever retries must accept a possible duplicate.
 */
public final class SmsSendException extends RuntimeException {
    public enum Kind {
        REJECTED,
        RATE_LIMITED,
        UNAVAILABLE
    }

    private final Kind kind;
    private final int httpStatus;
    private final String providerCode;
    private final Duration retryAfter;

    public SmsSendException(Kind kind, int httpStatus, String providerCode, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.providerCode = providerCode;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** 0 when no HTTP answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The provider's error code (Twilio's, e.g. {@code 21211}), or null. */
    public String providerCode() {
        return providerCode;
    }

    /** For RATE_LIMITED: how long the provider asked us to wait; else null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
