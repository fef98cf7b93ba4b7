package switchboard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.lead.LeadSource;
import switchboard.sms.SmsTemplates.Hours;
import switchboard.sms.SmsTemplates.Key;
import switchboard.sms.SmsTemplates.Kind;

class SmsTemplatesTest {
    private static final SmsTemplates.Values ACME = new SmsTemplates.Values("Acme Heating", "(919) 555-0100");

    @Test
    void defaultsCoverEveryKindAndFillThePlaceholders() {
        var t = new SmsTemplates(Map.of());
        for (var kind : Kind.values()) {
            for (var hours : Hours.values()) {
                String text = t.render(kind, LeadSource.LSA, hours, ACME, 0);
                assertTrue(text.contains("Acme Heating"), kind + ": " + text);
                assertTrue(!text.contains("{"), "no placeholder left: " + text);
            }
        }
        assertTrue(t.render(Kind.FIRST, LeadSource.PPC, Hours.CLOSED, ACME, 0).contains("closed"));
        assertTrue(t.render(Kind.HELP, null, Hours.OPEN, ACME, 0).contains("(919) 555-0100"));
    }

    @Test
    void perSourceAndHoursWithFallback() {
        var t = new SmsTemplates(Map.of(
                new Key(Kind.FIRST, LeadSource.LSA, Hours.OPEN),
                "{business}: thanks for finding us on Google! Reply STOP to opt out.",
                new Key(Kind.FIRST, LeadSource.LSA, null),
                "{business} (LSA, any hours). Reply STOP to opt out.",
                new Key(Kind.FOLLOW_UP, null, null),
                "Nudge {step} from {business}. Reply STOP to opt out."));
        assertEquals(
                "Acme Heating: thanks for finding us on Google! Reply STOP to opt out.",
                t.render(Kind.FIRST, LeadSource.LSA, Hours.OPEN, ACME, 0));
        // (kind, any source, hours) comes before (kind, source, any hours): the default closed text
        assertTrue(t.render(Kind.FIRST, LeadSource.LSA, Hours.CLOSED, ACME, 0).contains("closed"));
        assertTrue(t.render(Kind.FIRST, LeadSource.GBP, Hours.OPEN, ACME, 0).contains("Sorry we missed"));
        assertEquals(
                "Nudge 2 from Acme Heating. Reply STOP to opt out.", t.render(Kind.FOLLOW_UP, null, null, ACME, 1));
    }

    @Test
    void aValueIsInsertedLiterally() {
        var t = new SmsTemplates(Map.of());
        String text = t.render(Kind.HELP, null, null, new SmsTemplates.Values("$1 Plumbing \\ {callback}", "x"), 0);
        assertTrue(text.startsWith("$1 Plumbing \\ {callback}:"), text);
    }

    @Test
    void badTemplatesAreRefusedWhenMade() {
        var unknown = assertThrows(
                IllegalArgumentException.class,
                () -> new SmsTemplates(Map.of(new Key(Kind.HELP, null, null), "Hi {name}")));
        assertTrue(unknown.getMessage().contains("{name}"), unknown.getMessage());
        var noStop = assertThrows(
                IllegalArgumentException.class,
                () -> new SmsTemplates(Map.of(new Key(Kind.FIRST, null, Hours.OPEN), "Hi from {business}")));
        assertTrue(noStop.getMessage().contains("opt out"), noStop.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new SmsTemplates(Map.of(new Key(Kind.HELP, null, null), " ")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SmsTemplates(Map.of(new Key(Kind.HELP, null, null), "x".repeat(1_601))));
    }
}
