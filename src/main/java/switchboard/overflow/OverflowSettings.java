package switchboard.overflow;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import switchboard.common.SettingsReader;

/**
 * Overflow rerouting of the first PBX's queues ({@code switchboard.overflow}): the policies per queue (changeable at
 * run time through the API), how long a fresh agent ring protects a caller from being moved, and at most how many
 * moves per second.
 */
public record OverflowSettings(
        boolean enabled, Duration ringGrace, double maxMovesPerSecond, Duration poll, List<OverflowPolicy> policies) {

    public static OverflowSettings read(SettingsReader r) {
        boolean enabled = Boolean.parseBoolean(r.string("enabled"));
        double perSecond = r.doubleAbove("max-moves-per-second", 0, 1000);
        var policies = new ArrayList<OverflowPolicy>();
        var queues = r.block("queues");
        for (var e : new TreeMap<>(queues.root()).entrySet()) {
            String key = "queues." + e.getKey();
            if (e.getValue().valueType() != ConfigValueType.OBJECT)
                throw r.bad(key, "must be a block such as { max-wait = 45s, to = \"queue:overflow\" }");
            var q = queues.getConfig(ConfigUtil.joinPath(e.getKey())); // queue names may contain dots
            try {
                policies.add(OverflowPolicy.parse(
                        e.getKey(),
                        !q.hasPath("enabled") || q.getBoolean("enabled"),
                        q.hasPath("max-wait") ? q.getString("max-wait") : null,
                        q.hasPath("max-waiting") ? q.getInt("max-waiting") : 0,
                        q.hasPath("when-no-member-available") && q.getBoolean("when-no-member-available"),
                        q.hasPath("sources") ? q.getStringList("sources") : List.of(),
                        q.hasPath("hours") ? q.getString("hours") : null,
                        q.hasPath("to") ? q.getString("to") : null));
            } catch (IllegalArgumentException | ConfigException bad) {
                throw r.bad(key, bad.getMessage());
            }
        }
        return new OverflowSettings(
                enabled,
                r.durationIn("ring-grace", Duration.ZERO, Duration.ofMinutes(1)),
                perSecond,
                r.durationIn("poll", Duration.ofMillis(50), Duration.ofSeconds(10)),
                List.copyOf(policies));
    }
}
