package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void normalisesTheWaysCarriersDeliverUsNumbers() {
        for (String raw : new String[] {
            "+19195550123", "9195550123", "19195550123", "(919) 555-0123", "919.555.0123", "+1 919 555 0123"
        }) {
            assertEquals("+19195550123", PhoneNumbers.parse(raw, "US").e164(), raw);
        }
    }

    @Test
    void readsInternationalPrefixes() {
        assertEquals(
                "+442079460958", PhoneNumbers.parse("011442079460958", "US").e164());
        assertEquals("+442079460958", PhoneNumbers.parse("00442079460958", "US").e164());
    }

    @Test
    void withheldCallerIdsAreWithheldNotInvalid() {
        for (String raw : new String[] {"", "anonymous", "Restricted", "PRIVATE", "unknown", "<unknown>", null}) {
            var p = PhoneNumbers.parse(raw, "US");
            assertFalse(p.ok());
            assertEquals("WITHHELD", p.problem(), String.valueOf(raw));
        }
    }

    @Test
    void garbageIsInvalid() {
        for (String raw : new String[] {"12345", "abc", "+1555", "1".repeat(60), "+19995550123"}) {
            var p = PhoneNumbers.parse(raw, "US");
            assertNull(p.e164(), raw);
            assertEquals("INVALID_NUMBER", p.problem(), raw);
        }
    }

    @Test
    void masksForLogs() {
        assertEquals("+1919***0123", PhoneNumbers.mask("+19195550123"));
        assertEquals("***", PhoneNumbers.mask("123"));
        assertFalse(PhoneNumbers.mask("+19195550123").contains("5550123"));
    }

    @Test
    void identifiesLeadsByTenantAndNumber() {
        var a = CallerIdentification.identify("acme", "9195550123", "US", "main:1.1");
        var b = CallerIdentification.identify("acme", "+1 (919) 555-0123", "US", "main:1.2");
        assertEquals("acme:+19195550123", a.leadId());
        assertEquals(a.leadId(), b.leadId());
        assertTrue(a.callable());
    }

    @Test
    void anonymousCallersAreSeparateLeadsThatCannotBeCalledBack() {
        var a = CallerIdentification.identify("acme", "anonymous", "US", "main:1.1");
        var b = CallerIdentification.identify("acme", "anonymous", "US", "main:1.2");
        assertFalse(a.callable());
        assertEquals("WITHHELD", a.notCallableReason());
        assertFalse(a.leadId().equals(b.leadId()));
        var garbage = CallerIdentification.identify("acme", "12", "US", "main:1.3");
        assertEquals("INVALID_NUMBER", garbage.notCallableReason());
        assertNull(garbage.phoneNumber());
    }

    @Test
    void leadSourceFromDialplanThenDidThenUnknown() {
        var r = new LeadSourceResolver(Map.of("18005550100", LeadSource.LSA, "18005550101", LeadSource.GBP));
        assertEquals(LeadSource.LSA, r.resolve("+18005550100", null));
        assertEquals(LeadSource.LSA, r.resolve("8005550100", ""), "national form of a configured DID");
        assertEquals(LeadSource.PPC, r.resolve("+18005550100", "ppc"), "the dialplan's variable wins");
        assertEquals(
                LeadSource.GBP,
                r.resolve("+18005550101", "not-a-source"),
                "an unknown variable value falls back to the DID");
        assertEquals(LeadSource.UNKNOWN, r.resolve("+18005559999", null));
        assertEquals(LeadSource.UNKNOWN, r.resolve(null, null));
    }
}
