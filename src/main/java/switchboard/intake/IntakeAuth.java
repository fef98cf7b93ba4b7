package switchboard.intake;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import switchboard.common.DecisionLogic;

/**
 * Who may post a web form: a bearer token ({@code Authorization: Bearer <token>}) or an HMAC-SHA256 signature of the
 * raw body ({@code X-Switchboard-Signature: t=<unix seconds>,v1=<hex>}, the MAC of the ASCII bytes of
 * {@code "<t>."} followed by the body, keyed with the shared secret). A signature is accepted only while {@code t}
 * is within the tolerance of now, either way, so a captured request cannot be replayed later; within the window a
 * replay is the same form id, answered as a duplicate. Every comparison is constant-time. Several {@code v1=} values
 * may be sent (a secret being rotated): one matching is enough.
 */
@DecisionLogic
public final class IntakeAuth {
    public static final String SIGNATURE_HEADER = "X-Switchboard-Signature";

    public sealed interface Verdict {}

    /** {@code how}: "token" or "signature". */
    public record Accepted(String how) implements Verdict {}

    public record Rejected(String reason) implements Verdict {}

    /** Neither a token nor a secret is configured. */
    public record Disabled() implements Verdict {}

    private final String token;
    private final byte[] secret;
    private final long toleranceSeconds;

    public IntakeAuth(String token, byte[] secret, long toleranceSeconds) {
        this.token = token == null ? "" : token;
        this.secret = secret == null ? new byte[0] : secret.clone();
        this.toleranceSeconds = toleranceSeconds;
    }

    /**
     * @param authorization the Authorization header, or null
     * @param signature the {@value #SIGNATURE_HEADER} header, or null
     * @param body the raw request body, exactly as received
     * @param nowEpochSeconds the node's clock
     */
    public Verdict check(String authorization, String signature, byte[] body, long nowEpochSeconds) {
        if (token.isEmpty() && secret.length == 0) return new Disabled();
        if (signature != null) {
            if (secret.length == 0)
                return new Rejected("signatures are not enabled for intake (no switchboard.intake.secret); use the"
                        + " intake token");
            return checkSignature(signature, body, nowEpochSeconds);
        }
        if (authorization != null) {
            if (token.isEmpty())
                return new Rejected("tokens are not enabled for intake (no switchboard.intake.token); sign the body"
                        + " (" + SIGNATURE_HEADER + ")");
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7))
                return new Rejected("Authorization must be 'Bearer <intake token>'");
            return constantTimeEquals(authorization.substring(7).trim(), token)
                    ? new Accepted("token")
                    : new Rejected("invalid intake token");
        }
        return new Rejected("missing credentials: send 'Authorization: Bearer <intake token>' or " + SIGNATURE_HEADER
                + ": t=<unix seconds>,v1=<hex HMAC-SHA256>");
    }

    private Verdict checkSignature(String header, byte[] body, long now) {
        Long t = null;
        var given = new java.util.ArrayList<String>();
        for (String part : header.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) return malformed();
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            if (k.equals("t")) {
                if (t != null || v.isEmpty() || v.length() > 12 || !v.chars().allMatch(c -> c >= '0' && c <= '9'))
                    return malformed();
                t = Long.parseLong(v);
            } else if (k.equals("v1")) {
                given.add(v.toLowerCase(java.util.Locale.ROOT));
            } // other schemes: ignored, so a later v2 can be sent alongside
        }
        if (t == null || given.isEmpty()) return malformed();
        if (Math.abs(now - t) > toleranceSeconds)
            return new Rejected("signature time t=" + t + " is more than " + toleranceSeconds
                    + "s from the node's clock (" + now + "): too old (a replay?) or the sender's clock is off");
        String expected = sign(secret, t, body);
        boolean match = false;
        for (String g : given) match |= constantTimeEquals(g, expected); // no early exit
        return match ? new Accepted("signature") : new Rejected("signature does not match the body");
    }

    private static Rejected malformed() {
        return new Rejected(SIGNATURE_HEADER + " must be 't=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">'");
    }

    /** The lower-case hex HMAC-SHA256, keyed with {@code secret}, of the ASCII of {@code "<t>."} and then {@code body}. */
    public static String sign(byte[] secret, long t, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String prefix = t + ".";
            byte[] head = new byte[prefix.length()];
            for (int i = 0; i < head.length; i++) head[i] = (byte) prefix.charAt(i); // digits and '.': ASCII
            mac.update(head);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Equal strings, in a time that depends on their lengths only, never on where they differ. */
    static boolean constantTimeEquals(String a, String b) {
        byte[] x = new byte[a.length() * 2];
        byte[] y = new byte[b.length() * 2];
        for (int i = 0; i < a.length(); i++) {
            x[2 * i] = (byte) (a.charAt(i) >> 8);
            x[2 * i + 1] = (byte) a.charAt(i);
        }
        for (int i = 0; i < b.length(); i++) {
            y[2 * i] = (byte) (b.charAt(i) >> 8);
            y[2 * i + 1] = (byte) b.charAt(i);
        }
        return MessageDigest.isEqual(x, y);
    }
}
