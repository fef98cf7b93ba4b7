package switchboard.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's webhook signature, {@code X-Twilio-Signature}: Base64 of HMAC-SHA1, keyed with the auth token, of the
 * full URL Twilio requested (scheme, host, path, query) followed by every POST parameter's name and value, sorted by
 * name, with no separators (a repeated name: each of its values, sorted). Compared in constant time. Like Twilio's
 * own validators, a URL is also tried with and without the scheme's default port, which proxies add or drop.
 */
public final class TwilioSignature {
    public static final String HEADER = "X-Twilio-Signature";

    private TwilioSignature() {}

    public static String compute(String authToken, String url, Map<String, List<String>> params) {
        var data = new StringBuilder(url);
        new TreeMap<>(params)
                .forEach((name, values) -> values.stream()
                        .distinct()
                        .sorted()
                        .forEach(v -> data.append(name).append(v)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} (the header, may be null) signs this request. */
    public static boolean valid(String authToken, String url, Map<String, List<String>> params, String signature) {
        if (signature == null || signature.isBlank() || url == null) return false;
        byte[] given = signature.trim().getBytes(StandardCharsets.UTF_8);
        for (String u : variants(url)) {
            byte[] expected = compute(authToken, u, params).getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(expected, given)) return true;
        }
        return false;
    }

    /** The URL as given, and with the default port added or removed. */
    static List<String> variants(String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme();
            int defaultPort = "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
            if (defaultPort < 0 || u.getRawAuthority() == null || u.getHost() == null) return List.of(url);
            String rest = url.substring(
                    url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length());
            String userInfo = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
            String bare = scheme + "://" + userInfo + u.getHost() + rest;
            String withPort = scheme + "://" + userInfo + u.getHost() + ":" + defaultPort + rest;
            if (u.getPort() == -1) return List.of(url, withPort);
            if (u.getPort() == defaultPort) return List.of(url, bare);
            return List.of(url);
        } catch (IllegalArgumentException badUrl) {
            return List.of(url);
        }
    }
}
