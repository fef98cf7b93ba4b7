package switchboard.sms;

import java.util.concurrent.CompletionStage;

/**
 * The port every way of sending a text implements: a Twilio-compatible REST API ({@code switchboard.twilio}), and
 * later the contractor's SIP trunk through Asterisk's MessageSend. The domain speaks this; adapters implement it.
 */
public interface SmsTransport {

    /** The transport's name as stored on the lead's conversation, e.g. {@code twilio}. */
    String name();

    /**
     * Sends one text. Completes with the provider's receipt once the provider accepted it (its status is then
     * usually {@code QUEUED}: delivery comes later, by status callback), or fails with {@link SmsSendException}.
     */
    CompletionStage<Receipt> send(OutboundSms sms);

    /**
     * @param to the customer's E.164 number
     * @param body the text (at most 1,600 characters)
     * @param statusCallback where the provider reports delivery, or null for none
     */
    record OutboundSms(String to, String body, String statusCallback) {
        public OutboundSms {
            if (to == null || !to.matches("\\+[1-9]\\d{6,14}"))
                throw new IllegalArgumentException("an SMS goes to an E.164 number");
            if (body == null || body.isEmpty()) throw new IllegalArgumentException("an SMS needs a body");
            if (body.length() > 1_600) throw new IllegalArgumentException("an SMS body is at most 1,600 characters");
        }

        @Override
        public String toString() { // PII: never the body, never the whole number
            return "OutboundSms[to=" + switchboard.lead.PhoneNumbers.mask(to) + ", " + body.length() + " chars]";
        }
    }

    /** What the provider said when it took the text: its id (Twilio's Message SID) and status. */
    record Receipt(String transport, String providerId, DeliveryStatus status) {}
}
