package switchboard.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IntakeAuthTest {
    private static final byte[] SECRET = "whsec-test".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY =
            "{\"id\":\"f1\",\"phone\":\"+19195550100\",\"complete\":false}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_765_000_000L;
    private final IntakeAuth both = new IntakeAuth("tok-1", SECRET, 300);

    /** An independent HMAC (what `openssl dgst -sha256 -hmac` gives), not IntakeAuth's own. */
    private static String hmac(byte[] secret, String signed) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static String header(long t, String hex) {
        return "t=" + t + ",v1=" + hex;
    }

    @Test
    void theTokenIsAcceptedAndAnythingElseIsNot() {
        assertEquals(new IntakeAuth.Accepted("token"), both.check("Bearer tok-1", null, BODY, NOW));
        assertEquals(new IntakeAuth.Accepted("token"), both.check("bearer  tok-1 ", null, BODY, NOW));
        assertInstanceOf(IntakeAuth.Rejected.class, both.check("Bearer tok-2", null, BODY, NOW));
        assertInstanceOf(IntakeAuth.Rejected.class, both.check("Bearer tok-1x", null, BODY, NOW));
        assertInstanceOf(IntakeAuth.Rejected.class, both.check("Basic dG9rLTE=", null, BODY, NOW));
        assertInstanceOf(IntakeAuth.Rejected.class, both.check("Bearer ", null, BODY, NOW));
        var none = (IntakeAuth.Rejected) both.check(null, null, BODY, NOW);
        assertTrue(none.reason().contains("missing credentials"), none.reason());
    }

    @Test
    void aSignatureOfTheExactBodyWithinTheWindowIsAccepted() throws Exception {
        String body = new String(BODY, StandardCharsets.UTF_8);
        String sig = hmac(SECRET, NOW + "." + body);
        assertEquals(new IntakeAuth.Accepted("signature"), both.check(null, header(NOW, sig), BODY, NOW));
        // the sender's clock a little off either way
        assertEquals(
                new IntakeAuth.Accepted("signature"),
                both.check(null, header(NOW - 300, hmac(SECRET, (NOW - 300) + "." + body)), BODY, NOW));
        assertEquals(
                new IntakeAuth.Accepted("signature"),
                both.check(null, header(NOW + 300, hmac(SECRET, (NOW + 300) + "." + body)), BODY, NOW));
        // upper-case hex, spaces, a second (rotated-out) v1 and an unknown scheme alongside
        assertEquals(
                new IntakeAuth.Accepted("signature"),
                both.check(
                        null,
                        "t=" + NOW + ", v1=" + "00".repeat(32) + ", v1=" + sig.toUpperCase() + ",v2=zz",
                        BODY,
                        NOW));
    }

    @Test
    void anOldOrFutureTimestampIsRefusedEvenWithAValidSignature() throws Exception {
        String body = new String(BODY, StandardCharsets.UTF_8);
        long old = NOW - 301;
        var r = (IntakeAuth.Rejected) both.check(null, header(old, hmac(SECRET, old + "." + body)), BODY, NOW);
        assertTrue(r.reason().contains("too old"), r.reason());
        long future = NOW + 301;
        assertInstanceOf(
                IntakeAuth.Rejected.class,
                both.check(null, header(future, hmac(SECRET, future + "." + body)), BODY, NOW));
    }

    @Test
    void aSignatureOfAnotherBodyTimeOrSecretIsRefused() throws Exception {
        String body = new String(BODY, StandardCharsets.UTF_8);
        // the body changed by one character
        byte[] other = body.replace("f1", "f2").getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(
                IntakeAuth.Rejected.class, both.check(null, header(NOW, hmac(SECRET, NOW + "." + body)), other, NOW));
        // signed for another time than the one sent
        assertInstanceOf(
                IntakeAuth.Rejected.class,
                both.check(null, header(NOW, hmac(SECRET, (NOW - 1) + "." + body)), BODY, NOW));
        // another secret
        assertInstanceOf(
                IntakeAuth.Rejected.class,
                both.check(null, header(NOW, hmac("x".getBytes(StandardCharsets.UTF_8), NOW + "." + body)), BODY, NOW));
        // a valid token does not rescue a bad signature: the signature, when sent, is what is checked
        assertInstanceOf(
                IntakeAuth.Rejected.class, both.check("Bearer tok-1", header(NOW, "00".repeat(32)), BODY, NOW));
    }

    @Test
    void aMalformedSignatureHeaderIsRefusedWithTheExpectedShape() {
        for (String h :
                new String[] {"", "v1=abc", "t=" + NOW, "t=abc,v1=00", "t=1,t=2,v1=00", "garbage", "t=-5,v1=00"}) {
            var v = both.check(null, h, BODY, NOW);
            assertInstanceOf(IntakeAuth.Rejected.class, v, h);
        }
        var r = (IntakeAuth.Rejected) both.check(null, "nonsense", BODY, NOW);
        assertTrue(r.reason().contains("t=<unix seconds>,v1="), r.reason());
    }

    @Test
    void onlyWhatIsConfiguredCanBeUsedAndNothingConfiguredIsDisabled() throws Exception {
        var tokenOnly = new IntakeAuth("tok-1", new byte[0], 300);
        var secretOnly = new IntakeAuth("", SECRET, 300);
        String body = new String(BODY, StandardCharsets.UTF_8);
        String sig = header(NOW, hmac(SECRET, NOW + "." + body));
        assertInstanceOf(IntakeAuth.Rejected.class, tokenOnly.check(null, sig, BODY, NOW));
        assertInstanceOf(IntakeAuth.Rejected.class, secretOnly.check("Bearer tok-1", null, BODY, NOW));
        // an empty configured token must never match an empty bearer
        assertInstanceOf(IntakeAuth.Rejected.class, secretOnly.check("Bearer ", null, BODY, NOW));
        assertEquals(new IntakeAuth.Accepted("signature"), secretOnly.check(null, sig, BODY, NOW));
        assertEquals(new IntakeAuth.Disabled(), new IntakeAuth("", new byte[0], 300).check("Bearer x", sig, BODY, NOW));
    }

    @Test
    void signMatchesOpensslStyleHmacOfTimeDotBody() throws Exception {
        String body = new String(BODY, StandardCharsets.UTF_8);
        assertEquals(hmac(SECRET, NOW + "." + body), IntakeAuth.sign(SECRET, NOW, BODY));
    }

    @Test
    void constantTimeEqualsIsPlainEquality() {
        assertTrue(IntakeAuth.constantTimeEquals("abc", "abc"));
        assertFalse(IntakeAuth.constantTimeEquals("abc", "abd"));
        assertFalse(IntakeAuth.constantTimeEquals("abc", "ab"));
        assertFalse(IntakeAuth.constantTimeEquals("", "a"));
        assertTrue(IntakeAuth.constantTimeEquals("ǅ", "ǅ"));
        assertFalse(IntakeAuth.constantTimeEquals("ǅ", "Ņ"));
    }
}
