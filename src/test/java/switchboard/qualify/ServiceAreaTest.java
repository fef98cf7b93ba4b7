package switchboard.qualify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAreaTest {
    private final ServiceArea raleigh =
            new ServiceArea(List.of("276", "27513"), Map.of("install", List.of("27601"), "electrical", List.of()));

    @Test
    void prefixesAndExactZipsForEveryService() {
        assertTrue(raleigh.covers("repair", "27601"));
        assertTrue(raleigh.covers("repair", "27699"));
        assertTrue(raleigh.covers("repair", "27513"));
        assertFalse(raleigh.covers("repair", "27514"));
        assertFalse(raleigh.covers("repair", "90210"));
        assertTrue(raleigh.covers(null, "27605"), "no service yet: the general area");
    }

    @Test
    void aServiceWithItsOwnListUsesOnlyThatOne() {
        assertTrue(raleigh.covers("install", "27601"));
        assertFalse(raleigh.covers("install", "27605"));
        assertFalse(raleigh.covers("electrical", "27601"), "listed with no ZIPs: served nowhere");
    }

    @Test
    void noAreaConfiguredServesEveryZipButNeverGarbage() {
        assertTrue(ServiceArea.anywhere().covers("repair", "99501"));
        assertFalse(ServiceArea.anywhere().covers("repair", "2760"));
        assertFalse(ServiceArea.anywhere().covers("repair", null));
    }

    @Test
    void aBadEntryIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ServiceArea(List.of("276O1"), Map.of()));
        assertEquals(
                "a service-area entry is a ZIP (5 digits) or a ZIP prefix (1-4 digits), got '276O1'", e.getMessage());
    }
}
