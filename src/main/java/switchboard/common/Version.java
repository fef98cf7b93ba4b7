package switchboard.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from {@code switchboard/version.properties} (filtered by Maven with the project's version). */
public final class Version {
    private Version() {}

    /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the resource is missing or unfiltered. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/switchboard/version.properties")) {
            if (in == null) return "unknown";
            var p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
