package switchboard.sms;

import java.util.Locale;

/**
 * Where a text stands, in the words of Twilio-compatible providers (their {@code status} / {@code MessageStatus}),
 * plus {@code UNKNOWN} for a word we do not know (providers add some: never fail on one).
 */
public enum DeliveryStatus {
    ACCEPTED,
    SCHEDULED,
    QUEUED,
    SENDING,
    SENT,
    DELIVERED,
    UNDELIVERED,
    FAILED,
    RECEIVING,
    RECEIVED,
    READ,
    CANCELED,
    PARTIALLY_DELIVERED,
    UNKNOWN;

    public static DeliveryStatus parse(String word) {
        if (word == null || word.isBlank()) return UNKNOWN;
        try {
            return valueOf(word.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** No further change is expected (a late callback may still arrive; the lead keeps the final one). */
    public boolean isFinal() {
        return this == DELIVERED || this == UNDELIVERED || this == FAILED || this == READ || this == CANCELED;
    }
}
