package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DncListTest {
    @Test
    void numbersAreMatchedInE164WhateverTheyWereWrittenAs() {
        var dnc = new DncList("US");
        assertEquals("+19195550123", dnc.add("(919) 555-0123"));
        assertTrue(dnc.contains("+19195550123"));
        assertFalse(dnc.contains("+19195550124"));
        assertTrue(dnc.remove("919.555.0123"));
        assertFalse(dnc.contains("+19195550123"));
        assertFalse(dnc.remove("919.555.0123"));
    }

    @Test
    void garbageIsAClearErrorWithoutTheNumberInClear() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DncList("US").add("12345678"));
        assertTrue(e.getMessage().contains("not a callable phone number"), e.getMessage());
        assertFalse(e.getMessage().contains("12345678"), "masked: " + e.getMessage());
    }

    @Test
    void anImportReportsEveryLineItCouldNotRead() {
        var dnc = new DncList("US");
        dnc.add("+19195550100");
        var r = dnc.importLines("""
        # opted out at the truck, July
        +19195550100
        919-555-0101   # Mrs. Smith
        not a number

        +1 919 555 0102
        555
        """);
        assertEquals(2, r.added());
        assertEquals(1, r.alreadyListed());
        assertEquals(2, r.rejected().size());
        assertEquals(4, r.rejected().get(0).line());
        assertEquals(7, r.rejected().get(1).line());
        assertEquals(3, dnc.size());
    }
}
