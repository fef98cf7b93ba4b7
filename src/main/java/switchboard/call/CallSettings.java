package switchboard.call;

import java.time.Duration;
import switchboard.common.SettingsReader;

/**
 * How calls are decided and stored ({@code switchboard.calls}).
 *
 * @param shortAbandonThreshold a caller who hangs up sooner than this after the start is a SHORT_ABANDON
 * @param maxSignalsInFlight PBX signals being stored at once, all calls together (see {@link CallSignals})
 */
public record CallSettings(Duration shortAbandonThreshold, int maxSignalsInFlight) {

    public static CallSettings read(SettingsReader r) {
        return new CallSettings(
                r.durationIn("short-abandon-threshold", Duration.ZERO, Duration.ofMinutes(5)),
                r.intIn("max-signals-in-flight", 1, 100_000));
    }
}
