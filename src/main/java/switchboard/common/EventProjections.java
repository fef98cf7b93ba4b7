package switchboard.common;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Port: runs a handler over the journal's events, one projection per tag, each exactly once in the cluster, its
 * offset kept by the persistence adapter. A feature that reacts to another's events (the call → lead bridge)
 * asks for one here without knowing where offsets live.
 */
public interface EventProjections {
    /**
     * At least once: events are handed over in groups (up to {@code groupSize}, or what arrived within
     * {@code groupWithin}) and the offset moves only after the handler's future completed, so a crash redelivers.
     */
    <E> void atLeastOnce(
            String name,
            List<String> tags,
            Supplier<Handler<List<EventEnvelope<E>>>> handler,
            int groupSize,
            Duration groupWithin);
}
