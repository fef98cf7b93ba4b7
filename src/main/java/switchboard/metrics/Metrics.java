package switchboard.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * A small, lock-free metrics registry rendered in the Prometheus text format. Counters and histograms are cheap
 * enough for the AMI hot path (one LongAdder increment).
 */
public final class Metrics {
  private final Map<String, Family> families = new ConcurrentHashMap<>();

  private sealed interface Family permits CounterFamily, GaugeFamily, LabelledGaugeFamily, HistogramFamily {
    String help();

    void render(String name, StringBuilder out);
  }

  /** A counter, optionally with one label. */
  public LongAdder counter(String name, String help, String label, String labelValue) {
    var f = (CounterFamily) families.computeIfAbsent(name, n -> new CounterFamily(help, label, new ConcurrentHashMap<>()));
    return f.values.computeIfAbsent(labelValue == null ? "" : labelValue, v -> new LongAdder());
  }

  public LongAdder counter(String name, String help) {
    return counter(name, help, null, null);
  }

  public void gauge(String name, String help, DoubleSupplier value) {
    families.put(name, new GaugeFamily(help, value));
  }

  /** A gauge with one label whose values are read at render time (e.g. one per PBX queue). */
  public void gauges(String name, String help, String label, java.util.function.Supplier<Map<String, Double>> values) {
    families.put(name, new LabelledGaugeFamily(help, label, values));
  }

  public Histogram histogram(String name, String help, double... bucketsSeconds) {
    return ((HistogramFamily) families.computeIfAbsent(name, n -> new HistogramFamily(help, new Histogram(bucketsSeconds)))).histogram;
  }

  public String render() {
    var out = new StringBuilder(4096);
    new TreeMap<>(families).forEach((name, f) -> {
      out.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
      f.render(name, out);
    });
    return out.toString();
  }

  private record CounterFamily(String help, String label, Map<String, LongAdder> values) implements Family {
    public void render(String name, StringBuilder out) {
      out.append("# TYPE ").append(name).append(" counter\n");
      new TreeMap<>(values).forEach((lv, v) -> {
        out.append(name);
        if (label != null) out.append('{').append(label).append("=\"").append(escape(lv)).append("\"}");
        out.append(' ').append(v.sum()).append('\n');
      });
    }
  }

  private record GaugeFamily(String help, DoubleSupplier value) implements Family {
    public void render(String name, StringBuilder out) {
      out.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value.getAsDouble()).append('\n');
    }
  }

  private record LabelledGaugeFamily(String help, String label, java.util.function.Supplier<Map<String, Double>> values) implements Family {
    public void render(String name, StringBuilder out) {
      out.append("# TYPE ").append(name).append(" gauge\n");
      new TreeMap<>(values.get()).forEach((lv, v) -> out.append(name).append('{').append(label).append("=\"").append(escape(lv)).append("\"} ").append(v).append('\n'));
    }
  }

  private record HistogramFamily(String help, Histogram histogram) implements Family {
    public void render(String name, StringBuilder out) {
      out.append("# TYPE ").append(name).append(" histogram\n");
      long cumulative = 0;
      for (int i = 0; i < histogram.bounds.length; i++) {
        cumulative += histogram.counts.get(i);
        out.append(name).append("_bucket{le=\"").append(histogram.bounds[i]).append("\"} ").append(cumulative).append('\n');
      }
      cumulative += histogram.counts.get(histogram.bounds.length);
      out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
      out.append(name).append("_sum ").append(histogram.sum.sum()).append('\n');
      out.append(name).append("_count ").append(cumulative).append('\n');
    }
  }

  /** Fixed buckets, in seconds. */
  public static final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds.clone();
      this.counts = new AtomicLongArray(bounds.length + 1);
    }

    public void observeSeconds(double seconds) {
      int i = 0;
      while (i < bounds.length && seconds > bounds[i]) i++;
      counts.incrementAndGet(i);
      sum.add(seconds);
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
