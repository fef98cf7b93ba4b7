package switchboard.tools.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * The arrival times of a {@link TrafficModel}: each arrival is the previous one plus a gap, on absolute times
 * from {@code start}, so however long placing a call takes, the offered rate stays the model's. Applies the
 * profile's spike (through {@link TrafficModel#spike}) by arrival time. Pure: the driver asks it what is due.
 */
public final class ArrivalSchedule {
    private final TrafficModel model;
    private final Instant start;
    private final TrafficModel.Spike spike;
    private Instant next;

    public ArrivalSchedule(TrafficModel model, Instant start) {
        this.model = model;
        this.start = start;
        this.spike = model.profile().spike();
        this.next = start.plus(gapFrom(start));
    }

    public Instant start() {
        return start;
    }

    /** The next arrival's time. */
    public Instant peek() {
        return next;
    }

    /** Takes the next arrival: returns its time and schedules the one after it. */
    public Instant advance() {
        Instant at = next;
        next = at.plus(gapFrom(at));
        return at;
    }

    private Duration gapFrom(Instant at) {
        if (spike != null) {
            double since = Duration.between(start, at).toNanos() / 1e9;
            model.spike(spike.covers(since) ? spike.factor() : 1.0);
            // A gap drawn just before the spike would run past its start at the old rate: start it on time.
            if (since < spike.atSeconds()) {
                Duration gap = model.nextGap(at);
                Instant spikeAt = start.plusNanos((long) (spike.atSeconds() * 1e9));
                if (at.plus(gap).isAfter(spikeAt)) {
                    // Memoryless arrivals: restarting the draw at the spike's start keeps the process Poisson.
                    model.spike(spike.factor());
                    return Duration.between(at, spikeAt).plus(model.nextGap(spikeAt));
                }
                return gap;
            }
        }
        return model.nextGap(at);
    }
}
