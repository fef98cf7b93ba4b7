package switchboard.readside;

import java.time.Duration;
import switchboard.common.SettingsReader;

/** How often the projections poll the journal for new events ({@code switchboard.read-side}). */
public record ReadSideSettings(Duration refreshInterval) {

    public static ReadSideSettings read(SettingsReader r) {
        return new ReadSideSettings(r.durationIn("refresh-interval", Duration.ofMillis(10), Duration.ofSeconds(10)));
    }
}
