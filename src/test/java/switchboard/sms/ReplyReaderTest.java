package switchboard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu;

class ReplyReaderTest {
    private static final Instant AT = Instant.parse("2026-07-15T14:00:00Z");
    private final ReplyReader reader = ReplyReader.withDefaults(ServiceMenu.defaults());

    @Test
    void theIssuesExample() {
        var q = reader.read("leak at 27601", AT);
        assertEquals("27601", q.zip());
        assertEquals(Urgency.EMERGENCY, q.urgency());
        assertEquals("plumbing", q.service());
        assertEquals(Qualification.Channel.SMS, q.channel());
        assertEquals(AT, q.at());
        assertNull(q.inServiceArea(), "the qualification desk decides the area, not the text");
        assertNull(q.customer());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "No heat!! 27615 | repair | EMERGENCY | 27615",
                "NO A/C, house is 90 degrees | repair | EMERGENCY |",
                "no ac | repair | EMERGENCY |",
                "water everywhere, basement flooding | plumbing | EMERGENCY |",
                "sparks coming from an outlet in 27513 | electrical | EMERGENCY | 27513",
                "I smell gas | | EMERGENCY |",
                "gas leak near the meter | plumbing | EMERGENCY |", // "leak" names plumbing; a CSR sorts gas out
                "need a quote for a new system | install | QUOTE |",
                "how much for a tune-up? | maintenance | QUOTE |",
                "can someone come tomorrow to fix my furnace | repair | SOON |",
                "estimate for a new ac install | install | QUOTE |",
                "gas furnace tune up please | maintenance | |",
                "my furnace | repair | |",
                "toilet clogged | plumbing | |",
                "water heater | plumbing | |",
                "thanks | | |",
                "27601 | | | 27601",
                "123 Main St, Raleigh NC 27601-1234 | | | 27601",
                "12345 Oak Ave Raleigh 27603 | | | 27603",
                "call me at 919-555-0177 | | |",
                "my number is 9195550177 | | |"
            })
    void readsServiceUrgencyAndZip(String text, String service, Urgency urgency, String zip) {
        var q = reader.read(text, AT);
        assertEquals(service, q.service(), "service of: " + text);
        assertEquals(urgency, q.urgency(), "urgency of: " + text);
        assertEquals(zip, q.zip(), "zip of: " + text);
    }

    @Test
    void onlyTheMenusServicesAreFound() {
        var hvacOnly = new ServiceMenu(List.of(
                new ServiceMenu.Option('1', "repair", "Repair", ServiceMenu.Kind.REPAIR, "p1"),
                new ServiceMenu.Option('2', "duct-cleaning", "Duct cleaning", ServiceMenu.Kind.MAINTENANCE, "p2")));
        var r = new ReplyReader(hvacOnly, Map.of("duct-cleaning", List.of("ducts", "duct cleaning", "vents")));
        assertNull(r.read("toilet clogged", AT).service(), "plumbing is not on this menu");
        assertEquals(
                "duct-cleaning",
                r.read("Dirty vents, can you clean the ducts?", AT).service());
        assertEquals("duct-cleaning", r.read("DUCT-CLEANING please", AT).service(), "the service id itself");
        assertEquals("repair", r.read("repair please", AT).service());
    }

    @Test
    void theServiceNamedFirstWins() {
        assertEquals(
                "electrical",
                reader.read("breaker keeps tripping, also a leaky faucet", AT).service());
        assertEquals(
                "plumbing",
                reader.read("leaky faucet and the breaker keeps tripping", AT).service());
    }

    @Test
    void emptyAndHugeTextsAreHarmless() {
        assertTrue(reader.read("", AT).isEmpty());
        assertTrue(reader.read(null, AT).isEmpty());
        assertTrue(reader.read("\u0000\u0001\ufffd", AT).isEmpty());
        var q = reader.read("leak " + "blah ".repeat(400), AT);
        assertEquals(Urgency.EMERGENCY, q.urgency());
    }
}
