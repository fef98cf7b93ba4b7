package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandoverTest {
    @Test
    void aQueueOrADialString() {
        assertEquals(new Handover.ToQueue("service"), Handover.parse(" queue:service "));
        assertEquals(
                new Handover.ToNumber("PJSIP/+15551234567@carrier"),
                Handover.parse("number:PJSIP/+15551234567@carrier"));
        assertEquals("number:PJSIP/101", Handover.parse("number:PJSIP/101").text());
    }

    @Test
    void anythingElseIsRefusedWithTheForm() {
        for (var bad : new String[] {null, "", "queue:", "queue:a b", "number:", "101", "number:PJSIP/1;x"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Handover.parse(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("queue:NAME or number:DIALSTRING"), e.getMessage());
        }
    }
}
