package switchboard.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Who calls, when, and what happens to the call: Poisson arrivals at a rate shaped by an hourly profile and a
 * spike multiplier, a mix of the recorded call paths (which carries caller patience, agent behaviour, voicemail
 * and after-hours as the real PBX played them), and a share of repeat callers. Fixed seed: a run can be repeated.
 */
public final class TrafficModel {
  /** A named traffic profile. {@code hourly}: 24 factors on the base rate, by the PBX's local hour. */
  public record Profile(String name, double callsPerSecond, Map<String, Double> pathMix, double repeatCallerShare, double[] hourly) {
    public Profile withRate(double cps) {
      return new Profile(name, cps, pathMix, repeatCallerShare, hourly);
    }
  }

  private static final double[] BUSINESS_DAY = {0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.4, 1.4, 1.3, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1};
  private static final double[] FLAT = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

  /** A normal day: most calls are answered. */
  public static Profile normalDay() {
    var mix = new LinkedHashMap<String, Double>();
    mix.put("queue-answered", 0.55);
    mix.put("queue-abandon", 0.12);
    mix.put("short-abandon", 0.06);
    mix.put("queue-timeout-voicemail", 0.07);
    mix.put("direct-noanswer-voicemail", 0.04);
    mix.put("direct-busy", 0.03);
    mix.put("direct-chanunavail", 0.02);
    mix.put("direct-unreachable", 0.02);
    mix.put("ivr-hangup", 0.05);
    mix.put("after-hours", 0.04);
    return new Profile("normal-day", 1.0, mix, 0.15, FLAT);
  }

  /** The July heat wave: queues overflow, callers give up, repeat callers pile up. */
  public static Profile peakSeason() {
    var mix = new LinkedHashMap<String, Double>();
    mix.put("queue-answered", 0.32);
    mix.put("queue-abandon", 0.25);
    mix.put("short-abandon", 0.08);
    mix.put("queue-timeout-voicemail", 0.16);
    mix.put("direct-noanswer-voicemail", 0.05);
    mix.put("direct-busy", 0.04);
    mix.put("direct-chanunavail", 0.01);
    mix.put("direct-unreachable", 0.01);
    mix.put("ivr-hangup", 0.05);
    mix.put("after-hours", 0.03);
    return new Profile("peak-season", 5.0, mix, 0.30, FLAT);
  }

  public static Profile named(String name) {
    return switch (name) {
      case "normal-day" -> normalDay();
      case "peak-season" -> peakSeason();
      case "business-day" -> new Profile("business-day", 1.0, normalDay().pathMix(), 0.15, BUSINESS_DAY);
      default -> throw new IllegalArgumentException("unknown profile '" + name + "' (normal-day, peak-season, business-day)");
    };
  }

  private final Profile profile;
  private final Random random;
  private final ZoneId zone;
  private final List<String> paths;
  private final double[] cumulative;
  private final String[] recent = new String[500];
  private int callers;
  private double spike = 1.0;

  public TrafficModel(Profile profile, long seed, ZoneId zone) {
    this.profile = profile;
    this.random = new Random(seed);
    this.zone = zone;
    this.paths = List.copyOf(profile.pathMix().keySet());
    this.cumulative = new double[paths.size()];
    double total = profile.pathMix().values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < paths.size(); i++) {
      acc += profile.pathMix().get(paths.get(i)) / total;
      cumulative[i] = acc;
    }
  }

  public Profile profile() {
    return profile;
  }

  /** Multiplies the arrival rate (a spike: 3.0 triples it) from now on. */
  public void spike(double factor) {
    this.spike = factor;
  }

  /** Time to the next arrival (exponential) at the rate in force at {@code now}. */
  public Duration nextGap(Instant now) {
    double rate = profile.callsPerSecond() * profile.hourly()[now.atZone(zone).getHour()] * spike;
    double seconds = -Math.log(1 - random.nextDouble()) / Math.max(rate, 1e-6);
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  public String nextPath() {
    double r = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) if (r <= cumulative[i]) return paths.get(i);
    return paths.get(paths.size() - 1);
  }

  /** A caller: a recent one again (repeat share), or a new valid US number. */
  public String nextCaller() {
    if (callers > 0 && random.nextDouble() < profile.repeatCallerShare()) return recent[random.nextInt(Math.min(callers, recent.length))];
    String number = String.format("+1%s555%04d", List.of("919", "984", "704", "336", "828").get(random.nextInt(5)), random.nextInt(10_000));
    recent[callers++ % recent.length] = number;
    return number;
  }
}
