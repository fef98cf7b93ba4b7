package switchboard.intake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import switchboard.common.SettingsReader;

/**
 * Web-form intake ({@code switchboard.intake}): the bearer token and/or the HMAC secret a website or booking widget
 * authenticates {@code POST /api/intake} with, and how far a signature's time may be from ours. Neither set: intake is
 * off. Neither is the API token, and neither grants anything but intake.
 */
public record IntakeSettings(String token, String secret, Duration tolerance) {

    public static IntakeSettings read(SettingsReader r) {
        return new IntakeSettings(
                r.secret("token", "token-file"),
                r.secret("secret", "secret-file"),
                r.durationIn("tolerance", Duration.ofSeconds(10), Duration.ofHours(1)));
    }

    public static IntakeSettings off() {
        return new IntakeSettings("", "", Duration.ofMinutes(5));
    }

    public boolean enabled() {
        return !token.isEmpty() || !secret.isEmpty();
    }

    /** The checker of these credentials. */
    public IntakeAuth auth() {
        return new IntakeAuth(token, secret.getBytes(StandardCharsets.UTF_8), tolerance.toSeconds());
    }

    @Override
    public String toString() { // never print a secret
        return "IntakeSettings[token=" + (token.isEmpty() ? "" : "***") + ", secret=" + (secret.isEmpty() ? "" : "***")
                + ", tolerance=" + tolerance + "]";
    }
}
