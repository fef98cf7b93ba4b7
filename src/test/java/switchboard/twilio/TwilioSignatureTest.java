package switchboard.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fixed test vector of Twilio's request-validation documentation (twilio-php {@code docs/usage/validation.rst},
 * the same vector Twilio's helper libraries test with, e.g. twilio-python's {@code test_validation.py}): auth token
 * {@code 12345}, URL {@code https://mycompany.com/myapp.php?foo=1&bar=2}, the parameters below, signature
 * {@code RSOYDt4T1cUTdK1PDd93/VVr8B8=}.
 */
class TwilioSignatureTest {
    static final String TOKEN = "12345";
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final String EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    static Map<String, List<String>> params() {
        var p = new LinkedHashMap<String, List<String>>(); // not in sorted order on purpose
        p.put("To", List.of("+18005551212"));
        p.put("CallSid", List.of("CA1234567890ABCDE"));
        p.put("Digits", List.of("1234"));
        p.put("From", List.of("+14158675309"));
        p.put("Caller", List.of("+14158675309"));
        return p;
    }

    @Test
    void twiliosDocumentedExample() {
        assertEquals(EXPECTED, TwilioSignature.compute(TOKEN, URL, params()));
        assertTrue(TwilioSignature.valid(TOKEN, URL, params(), EXPECTED));
    }

    @Test
    void anythingChangedIsRefused() {
        var tampered = new LinkedHashMap<>(params());
        tampered.put("Digits", List.of("9999"));
        assertFalse(TwilioSignature.valid(TOKEN, URL, tampered, EXPECTED));
        var added = new LinkedHashMap<>(params());
        added.put("Body", List.of("hi"));
        assertFalse(TwilioSignature.valid(TOKEN, URL, added, EXPECTED));
        assertFalse(TwilioSignature.valid("54321", URL, params(), EXPECTED), "another token");
        assertFalse(TwilioSignature.valid(TOKEN, URL.replace("foo=1", "foo=2"), params(), EXPECTED), "another URL");
        assertFalse(TwilioSignature.valid(TOKEN, URL, params(), null));
        assertFalse(TwilioSignature.valid(TOKEN, URL, params(), ""));
        assertFalse(TwilioSignature.valid(TOKEN, URL, params(), EXPECTED.substring(1)));
    }

    @Test
    void theDefaultPortMayBeAddedOrDroppedByAProxy() {
        String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assertTrue(TwilioSignature.valid(TOKEN, withPort, params(), EXPECTED));
        var signedWithPort = TwilioSignature.compute(TOKEN, withPort, params());
        assertTrue(TwilioSignature.valid(TOKEN, URL, params(), signedWithPort));
        assertFalse(
                TwilioSignature.valid(TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", params(), EXPECTED));
    }

    @Test
    void aRepeatedParameterSignsEachValueSorted() {
        var a = Map.of("MediaUrl", List.of("b", "a"));
        var b = Map.of("MediaUrl", List.of("a", "b"));
        assertEquals(TwilioSignature.compute(TOKEN, URL, a), TwilioSignature.compute(TOKEN, URL, b));
        assertEquals(
                TwilioSignature.compute(TOKEN, URL + "MediaUrlaMediaUrlb", Map.of()),
                TwilioSignature.compute(TOKEN, URL, a));
    }
}
