package switchboard.tools.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places calls into a {@link PbxSimulator} as a {@link TrafficModel} says, until stopped. Arrivals keep their
 * absolute times ({@link ArrivalSchedule}): each wake-up places every arrival that is due, with its scheduled
 * start, so time spent placing calls never stretches the gaps.
 */
public final class TrafficDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrafficDriver.class);

    /** Where calls go: {@link PbxSimulator#place}, or a test's recorder. */
    @FunctionalInterface
    public interface Placer {
        void place(CallTemplate template, String callerNumber, Instant start);
    }

    private final Placer placer;
    private final TrafficModel model;
    private final Map<String, CallTemplate> templates;
    private final ScheduledExecutorService scheduler;
    private volatile boolean running = true;
    private ArrivalSchedule schedule;

    public TrafficDriver(PbxSimulator pbx, TrafficModel model, Map<String, CallTemplate> templates) {
        this(pbx::place, model, templates);
    }

    public TrafficDriver(Placer placer, TrafficModel model, Map<String, CallTemplate> templates) {
        this.placer = placer;
        this.model = model;
        this.templates = templates;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "traffic-driver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts placing calls; the first arrival is one gap from now. */
    public TrafficDriver start() {
        scheduler.execute(() -> {
            schedule = new ArrivalSchedule(model, Instant.now());
            placeDue();
        });
        return this;
    }

    private void placeDue() {
        if (!running) return;
        try {
            Instant now = Instant.now();
            while (running && !schedule.peek().isAfter(now)) {
                Instant at = schedule.advance();
                var template = templates.get(model.nextPath(at));
                placer.place(template, model.nextCaller(), at);
            }
        } catch (RuntimeException e) {
            log.warn("traffic driver could not place a call: {}", e.toString());
        }
        if (!running) return;
        long wait = Math.max(0, Duration.between(Instant.now(), schedule.peek()).toNanos());
        scheduler.schedule(this::placeDue, wait, TimeUnit.NANOSECONDS);
    }

    /** Stops placing new calls; calls already placed play to their end. */
    public void stopPlacing() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
    }
}
