package switchboard.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Typed, validated access to one block of the {@code switchboard { … }} configuration, for the feature that owns
 * it. Every problem becomes a {@link SettingsException} whose one line names the full key and, where one exists,
 * its environment variable — e.g. {@code switchboard.http.port (env SWITCHBOARD_HTTP_PORT): must be a whole
 * number, got 'eighty'}.
 */
public final class SettingsReader {
    private final Config root;
    private final String prefix;
    private final Function<String, String> envVarOf;

    /**
     * @param root the {@code switchboard} block
     * @param envVarOf full key (e.g. {@code switchboard.http.port}) → its environment variable, or null
     */
    public SettingsReader(Config root, Function<String, String> envVarOf) {
        this(root, "", envVarOf);
    }

    private SettingsReader(Config root, String prefix, Function<String, String> envVarOf) {
        this.root = root;
        this.prefix = prefix;
        this.envVarOf = envVarOf;
    }

    /** The reader of a block below this one, e.g. {@code at("callbacks")}; errors still name the full key. */
    public SettingsReader at(String path) {
        return new SettingsReader(root, prefix + path + ".", envVarOf);
    }

    /** A reader of another {@code switchboard} block (one built from several), naming keys and variables as this one does. */
    public SettingsReader over(Config otherRoot) {
        return new SettingsReader(otherRoot, "", envVarOf);
    }

    /** The full key of {@code key} in this block, e.g. {@code switchboard.callbacks.queue}. */
    public String fullKey(String key) {
        return "switchboard." + prefix + key;
    }

    private String path(String key) {
        return prefix + key;
    }

    public SettingsException bad(String key, String problem) {
        String full = fullKey(key);
        String envVar = envVarOf.apply(full);
        return new SettingsException(full + (envVar == null ? "" : " (env " + envVar + ")") + ": " + problem);
    }

    public boolean has(String key) {
        return root.hasPath(path(key));
    }

    /** The raw block at {@code key} (an object), for settings whose keys are data (DIDs, queues, weekdays). */
    public Config block(String key) {
        try {
            return root.getConfig(path(key));
        } catch (ConfigException e) {
            throw bad(key, "must be a block { … }");
        }
    }

    /** The raw list of blocks at {@code key}. */
    public List<? extends Config> blocks(String key) {
        try {
            return root.getConfigList(path(key));
        } catch (ConfigException e) {
            throw bad(key, "must be a list of blocks { … }");
        }
    }

    public String string(String key) {
        try {
            return root.getString(path(key)).trim();
        } catch (ConfigException.Missing e) {
            throw bad(key, "is missing");
        } catch (ConfigException.WrongType e) {
            throw bad(key, "must be a string");
        }
    }

    public List<String> stringList(String key) {
        try {
            return root.getStringList(path(key));
        } catch (ConfigException e) {
            throw bad(key, "must be a list of strings");
        }
    }

    public int intIn(String key, int min, int max) {
        String raw = string(key);
        int v;
        try {
            v = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number, got '" + raw + "'");
        }
        if (v < min || v > max) throw bad(key, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    /** A number with {@code min < value <= max}. */
    public double doubleAbove(String key, double min, double max) {
        String raw = string(key);
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number, got '" + raw + "'");
        }
        if (!(v > min && v <= max))
            throw bad(key, "must be above " + fmt(min) + " and at most " + fmt(max) + ", got " + v);
        return v;
    }

    /** A number with {@code min <= value <= max}; {@code what} says which numbers, e.g. "between 1 and 10". */
    public double doubleIn(String key, double min, double max, boolean maxInclusive, String what) {
        String raw = string(key);
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number, got '" + raw + "'");
        }
        if (v < min || (maxInclusive ? v > max : v >= max)) throw bad(key, "must be " + what + ", got " + v);
        return v;
    }

    /** {@code true} or {@code false}, nothing else. */
    public boolean bool(String key) {
        String v = string(key).toLowerCase();
        if (!v.equals("true") && !v.equals("false")) throw bad(key, "must be true or false, got '" + string(key) + "'");
        return v.equals("true");
    }

    public Duration durationIn(String key, Duration min, Duration max) {
        Duration d;
        try {
            d = root.getDuration(path(key));
        } catch (ConfigException e) {
            throw bad(key, "must be a duration such as 10s or 500ms");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw bad(key, "must be between " + min + " and " + max + ", got " + d);
        return d;
    }

    public List<Duration> durationList(String key) {
        try {
            return root.getDurationList(path(key));
        } catch (ConfigException e) {
            throw bad(key, "must be a list of durations such as [3m, 10m, 30m]");
        }
    }

    /** A secret from {@code key}, or else read from the file named by {@code fileKey}; empty when neither is set. */
    public String secret(String key, String fileKey) {
        String secret = string(key);
        String file = string(fileKey);
        if (!secret.isEmpty() || file.isEmpty()) return secret;
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            throw bad(fileKey, "cannot read " + file);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
