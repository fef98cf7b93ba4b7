package switchboard.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import switchboard.sms.DeliveryStatus;

class TwilioWebhooksTest {

    @Test
    void aStatusCallbackAsTwilioSendsIt() {
        // the parameters of Twilio's Messaging status callback: MessageSid, MessageStatus, ErrorCode, AccountSid, …
        String body = "ErrorCode=30003&SmsSid=SM1234567890abcdef1234567890abcdef&SmsStatus=undelivered"
                + "&MessageStatus=undelivered&To=%2B19195550177&MessagingServiceSid=MG00000000000000000000000000000000"
                + "&MessageSid=SM1234567890abcdef1234567890abcdef&AccountSid=AC00000000000000000000000000000000"
                + "&From=%2B19195550100&ApiVersion=2010-04-01";
        var form = TwilioWebhooks.parseForm(body);
        var u = TwilioWebhooks.statusCallback(form).orElseThrow();
        assertEquals("SM1234567890abcdef1234567890abcdef", u.providerId());
        assertEquals(DeliveryStatus.UNDELIVERED, u.status());
        assertEquals("30003", u.errorCode());
        assertEquals("twilio", u.transport());
        assertEquals(List.of("+19195550177"), form.get("To"));

        var delivered = TwilioWebhooks.statusCallback(
                        TwilioWebhooks.parseForm("MessageSid=SM1&MessageStatus=delivered"))
                .orElseThrow();
        assertEquals(DeliveryStatus.DELIVERED, delivered.status());
        assertNull(delivered.errorCode());
        assertTrue(delivered.status().isFinal());
    }

    @Test
    void unknownOrMissingStatusesAreNotFatal() {
        assertEquals(
                DeliveryStatus.UNKNOWN,
                TwilioWebhooks.statusCallback(TwilioWebhooks.parseForm("MessageSid=SM1&MessageStatus=teleported"))
                        .orElseThrow()
                        .status());
        assertEquals(
                DeliveryStatus.PARTIALLY_DELIVERED,
                TwilioWebhooks.statusCallback(
                                TwilioWebhooks.parseForm("MessageSid=SM1&MessageStatus=partially_delivered"))
                        .orElseThrow()
                        .status());
        assertTrue(TwilioWebhooks.statusCallback(TwilioWebhooks.parseForm("MessageStatus=sent"))
                .isEmpty());
        assertTrue(TwilioWebhooks.statusCallback(TwilioWebhooks.parseForm("")).isEmpty());
    }

    @Test
    void anInboundMessage() {
        String body = "ToCountry=US&MessageSid=SMaaaa&AccountSid=AC1&From=%2B19195550177&To=%2B19195550100"
                + "&Body=Leak+at+27601+%E2%80%94+please+hurry%21&NumMedia=0&NumSegments=1&FromZip=27601";
        var in = TwilioWebhooks.inbound(TwilioWebhooks.parseForm(body)).orElseThrow();
        assertEquals("SMaaaa", in.providerId());
        assertEquals("+19195550177", in.from());
        assertEquals("+19195550100", in.to());
        assertEquals("Leak at 27601 — please hurry!", in.body());
        assertEquals(0, in.media());
        assertTrue(!in.toString().contains("27601") && !in.toString().contains("5550177"), in.toString());
    }

    @Test
    void oddFormsAreReadWithoutFailing() {
        var in = TwilioWebhooks.inbound(TwilioWebhooks.parseForm("From=%2B1919&Body=100%&NumMedia=x&&=&Flag"))
                .orElseThrow();
        assertEquals("100%", in.body());
        assertEquals(0, in.media());
        assertTrue(TwilioWebhooks.inbound(TwilioWebhooks.parseForm("Body=hi")).isEmpty(), "no sender");
        assertEquals(
                "",
                TwilioWebhooks.inbound(TwilioWebhooks.parseForm("From=%2B19195550177"))
                        .orElseThrow()
                        .body());
    }
}
