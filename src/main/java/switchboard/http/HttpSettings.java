package switchboard.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import switchboard.common.SettingsReader;

/** Where the API listens and the bearer token it accepts ({@code switchboard.http}). */
public record HttpSettings(String host, int port, String apiToken) {

    public static HttpSettings read(SettingsReader r) {
        return new HttpSettings(r.string("host"), r.intIn("port", 0, 65535), r.secret("api-token", "api-token-file"));
    }

    public HttpSettings withApiToken(String token) {
        return new HttpSettings(host, port, token);
    }

    /**
     * These settings, or, when no token is configured, with the one kept in {@code file}: made (24 random bytes, hex,
     * mode 0600) on the first start and read on every later one. Says where it is; never prints the token.
     */
    public HttpSettings orTokenKeptIn(Path file, PrintStream err) throws IOException {
        if (!apiToken.isEmpty()) return this;
        String token;
        if (Files.isReadable(file)) {
            token = Files.readString(file).trim();
        } else {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            token = HexFormat.of().formatHex(bytes);
            Files.writeString(file, token + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        err.println("switchboard: no SWITCHBOARD_API_TOKEN set; API token is in " + file.toAbsolutePath());
        return withApiToken(token);
    }

    @Override
    public String toString() { // never print the token
        return "HttpSettings[host=" + host + ", port=" + port + ", apiToken=" + (apiToken.isEmpty() ? "" : "***") + "]";
    }
}
