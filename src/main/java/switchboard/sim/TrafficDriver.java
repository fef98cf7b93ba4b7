package switchboard.sim;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Places calls into a {@link PbxSimulator} as a {@link TrafficModel} says, until stopped. */
public final class TrafficDriver implements AutoCloseable {
  private final PbxSimulator pbx;
  private final TrafficModel model;
  private final Map<String, CallTemplate> templates;
  private final ScheduledExecutorService scheduler;
  private volatile boolean running = true;

  public TrafficDriver(PbxSimulator pbx, TrafficModel model, Map<String, CallTemplate> templates) {
    this.pbx = pbx;
    this.model = model;
    this.templates = templates;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      var t = new Thread(r, "traffic-driver");
      t.setDaemon(true);
      return t;
    });
  }

  public TrafficDriver start() {
    scheduleNext();
    return this;
  }

  private void scheduleNext() {
    if (!running) return;
    long nanos = model.nextGap(Instant.now()).toNanos();
    scheduler.schedule(() -> {
      if (!running) return;
      var template = templates.get(model.nextPath());
      pbx.place(template, model.nextCaller(), Instant.now());
      scheduleNext();
    }, nanos, TimeUnit.NANOSECONDS);
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
