package switchboard.sms;

/**
 * A text a customer sent, as a transport received it.
 *
 * @param transport e.g. {@code twilio}
 * @param providerId the provider's id for it (Twilio's MessageSid), or null
 * @param from the customer's number as the provider gave it
 * @param to our number it was sent to
 * @param body the text (may be empty: a picture alone)
 * @param media how many attachments it had
 */
public record InboundSms(String transport, String providerId, String from, String to, String body, int media) {
    @Override
    public String toString() { // PII: masked number, no body
        return "InboundSms[" + transport + " " + providerId + " from " + switchboard.lead.PhoneNumbers.mask(from) + ", "
                + (body == null ? 0 : body.length()) + " chars, " + media + " media]";
    }
}
