package switchboard.sms;

/**
 * A provider's word on a text we sent (Twilio's status callback).
 *
 * @param providerId the provider's id of the text (MessageSid)
 * @param status where it stands
 * @param errorCode the provider's error code when it failed, or null
 */
public record DeliveryUpdate(String transport, String providerId, DeliveryStatus status, String errorCode) {}
