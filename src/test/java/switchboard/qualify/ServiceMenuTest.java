package switchboard.qualify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceMenuTest {
    private final ServiceMenu menu = ServiceMenu.defaults();

    @Test
    void aDigitNamesItsService() {
        assertEquals("repair", menu.byDigit("1").orElseThrow().service());
        assertEquals(ServiceMenu.Kind.OTHER, menu.byDigit("0").orElseThrow().kind());
        assertTrue(menu.byDigit("9").isEmpty());
        assertTrue(menu.byDigit("12").isEmpty());
        assertTrue(menu.byDigit(null).isEmpty());
        assertEquals("123450", menu.validDigits());
    }

    @Test
    void aMenuWithADigitOrAnIdTwiceIsRefused() {
        var a = new ServiceMenu.Option('1', "repair", "Repair", ServiceMenu.Kind.REPAIR, "p1");
        var b = new ServiceMenu.Option('1', "install", "Install", ServiceMenu.Kind.INSTALL, "p2");
        var c = new ServiceMenu.Option('2', "repair", "Repair again", ServiceMenu.Kind.REPAIR, "p3");
        assertEquals(
                "menu digit 1 is used twice",
                assertThrows(IllegalArgumentException.class, () -> new ServiceMenu(List.of(a, b)))
                        .getMessage());
        assertEquals(
                "service id repair is used twice",
                assertThrows(IllegalArgumentException.class, () -> new ServiceMenu(List.of(a, c)))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceMenu.Option('*', "x", "X", ServiceMenu.Kind.OTHER, "p"));
    }
}
