package switchboard.tools.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Who calls, when, and what happens to the call. Fixed seed: a run can be repeated. Drawn from one thread
 * (the driver's); {@link #counts()} may be read from any.
 *
 * <p>Arrivals are Poisson at the profile's rate × its hourly factor (by the PBX's local hour) × the spike in
 * force. Outside the profile's opening hours every call plays the after-hours recording. In opening hours a
 * call takes one of the non-queue paths (direct dial ring-out / busy / unavailable / unreachable, IVR hang-up,
 * after-hours line) with that path's fixed share, or else joins the queue, where {@link QueueModel} decides —
 * from agents, handle time, ring-no-answer, patience and the 30 s queue timeout — whether it is answered,
 * abandoned, short-abandoned or times out to voicemail. So a spike, or fewer agents, makes more callers give up.
 * A share of callers are repeat callers (a recent number again).
 *
 * <p>The agents are sized for the profile's base rate at its busiest hour (offered Erlangs / target occupancy)
 * unless an agent count is given; a spike is not staffed for.
 *
 * <p>Profiles (queue share = 1 − the non-queue shares; answered shares measured over 10 simulated minutes at
 * 0.5–200 calls/s, seed 7):
 * <ul>
 *   <li>{@code normal-day}: 1 call/s, flat, always open; 80 % to the queue; non-queue: direct no-answer 4 %,
 *       busy 3 %, unavailable 2 %, unreachable 2 %, IVR hang-up 5 %, after-hours line 4 %. Agents sized for
 *       85 % occupancy, handle time 180 s (lognormal σ 0.5), pick-up 3 s, ring-no-answer 10 % (15 s ring
 *       cycle), patience 60 s, 8 % of callers quit within 10 s, queue timeout 30 s; 15 % repeat callers. About
 *       77 % of all calls answered (96 % of queue calls), 2 % short abandons.</li>
 *   <li>{@code peak-season}: 5 calls/s, flat, always open; 81 % to the queue; non-queue: direct no-answer 5 %,
 *       busy 4 %, unavailable 1 %, unreachable 1 %, IVR hang-up 5 %, after-hours line 3 %. Understaffed:
 *       offered load 1.8 × the agents, handle time 240 s, pick-up 4 s, ring-no-answer 15 %, patience 45 s,
 *       12 % quit within 10 s, queue timeout 30 s; 30 % repeat callers. About 49 % answered; of all calls
 *       about 14 % abandon, 12 % short-abandon, 7 % time out to voicemail.</li>
 *   <li>{@code business-day}: normal-day's calls and floor on an office-hours curve (0.05 × the rate at night,
 *       1.4 × late morning), open 07:00–19:00 local: closed, every call plays the after-hours recording; open,
 *       no after-hours line share. Agents sized for the busiest hour (1.4 × the rate).</li>
 * </ul>
 */
public final class TrafficModel {
    /** Multiplies the arrival rate by {@code factor} from {@code atSeconds} after the start for {@code forSeconds}. */
    public record Spike(double factor, double atSeconds, double forSeconds) {
        public Spike {
            if (factor <= 0 || atSeconds < 0 || forSeconds <= 0)
                throw new IllegalArgumentException("spike: factor and length must be positive, start not negative");
        }

        public boolean covers(double secondsSinceStart) {
            return secondsSinceStart >= atSeconds && secondsSinceStart < atSeconds + forSeconds;
        }
    }

    /**
     * A named traffic profile. {@code hourly}: 24 factors on the base rate, by the PBX's local hour; open from
     * hour {@code opens} to {@code closes} (0–24: always); {@code otherPaths}: shares of all calls that never reach
     * the queue, by recorded path; {@code spike}: optional.
     */
    public record Profile(
            String name,
            double callsPerSecond,
            double[] hourly,
            int opens,
            int closes,
            Map<String, Double> otherPaths,
            double repeatCallerShare,
            QueueModel.Params queue,
            Spike spike) {
        public Profile {
            if (hourly.length != 24) throw new IllegalArgumentException("hourly needs 24 factors");
            double other = otherPaths.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            if (other > 1 + 1e-9) throw new IllegalArgumentException("non-queue shares add up to more than 1");
            otherPaths = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(otherPaths));
            hourly = hourly.clone();
        }

        public double queueShare() {
            return Math.max(
                    0,
                    1
                            - otherPaths.values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum());
        }

        /** The queue's arrival rate the agents are sized for: the base rate at the busiest hour. */
        public double queueCallsPerSecond() {
            return callsPerSecond * Arrays.stream(hourly).max().orElse(1) * queueShare();
        }

        public boolean openAt(int hour) {
            return hour >= opens && hour < closes;
        }

        public Profile withRate(double cps) {
            return new Profile(name, cps, hourly, opens, closes, otherPaths, repeatCallerShare, queue, spike);
        }

        public Profile withQueue(QueueModel.Params q) {
            return new Profile(name, callsPerSecond, hourly, opens, closes, otherPaths, repeatCallerShare, q, spike);
        }

        public Profile withAgents(int n) {
            return withQueue(queue.withAgents(n));
        }

        public Profile withHandleTime(double meanSeconds) {
            return withQueue(queue.withHandleTime(meanSeconds));
        }

        public Profile withPatience(double meanSeconds) {
            return withQueue(queue.withPatience(meanSeconds));
        }

        public Profile withSpike(Spike s) {
            return new Profile(name, callsPerSecond, hourly, opens, closes, otherPaths, repeatCallerShare, queue, s);
        }
    }

    private static final double[] BUSINESS_DAY = {
        0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.4, 1.4, 1.3, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.8, 0.6, 0.4,
        0.3, 0.2, 0.1
    };
    private static final double[] FLAT = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    public static final List<String> NAMES = List.of("normal-day", "peak-season", "business-day");

    /** A normal day: the floor keeps up, most queue calls are answered. */
    public static Profile normalDay() {
        var other = new LinkedHashMap<String, Double>();
        other.put("direct-noanswer-voicemail", 0.04);
        other.put("direct-busy", 0.03);
        other.put("direct-chanunavail", 0.02);
        other.put("direct-unreachable", 0.02);
        other.put("ivr-hangup", 0.05);
        other.put("after-hours", 0.04);
        var queue = new QueueModel.Params(null, 0.85, 180, 0.5, 3, 0.10, 15, 60, 0.08, 30);
        return new Profile("normal-day", 1.0, FLAT, 0, 24, other, 0.15, queue, null);
    }

    /** The July heat wave: more work than agents, callers give up, repeat callers pile up. */
    public static Profile peakSeason() {
        var other = new LinkedHashMap<String, Double>();
        other.put("direct-noanswer-voicemail", 0.05);
        other.put("direct-busy", 0.04);
        other.put("direct-chanunavail", 0.01);
        other.put("direct-unreachable", 0.01);
        other.put("ivr-hangup", 0.05);
        other.put("after-hours", 0.03);
        var queue = new QueueModel.Params(null, 1.8, 240, 0.5, 4, 0.15, 15, 45, 0.12, 30);
        return new Profile("peak-season", 5.0, FLAT, 0, 24, other, 0.30, queue, null);
    }

    /** Normal-day calls over office hours: closed at night (after-hours recording), busiest late morning. */
    public static Profile businessDay() {
        var n = normalDay();
        var other = new LinkedHashMap<>(n.otherPaths());
        other.remove("after-hours"); // open: nobody reaches the after-hours line; closed: everybody does
        return new Profile(
                "business-day", n.callsPerSecond(), BUSINESS_DAY, 7, 19, other, n.repeatCallerShare(), n.queue(), null);
    }

    public static Profile named(String name) {
        return switch (name) {
            case "normal-day" -> normalDay();
            case "peak-season" -> peakSeason();
            case "business-day" -> businessDay();
            default ->
                throw new IllegalArgumentException("unknown profile '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    private final Profile profile;
    private final Random random;
    private final ZoneId zone;
    private final QueueModel queue;
    private final List<String> otherPaths;
    private final double[] cumulative;
    private final String[] recent = new String[500];
    private final Map<String, Long> counts =
            new java.util.concurrent.ConcurrentHashMap<>(); // read by reports while the driver runs
    private int callers;
    private double spike = 1.0;

    public TrafficModel(Profile profile, long seed, ZoneId zone) {
        this.profile = profile;
        this.random = new Random(seed);
        this.zone = zone;
        // Its own stream: changing the agents or patience changes outcomes, not the arrivals or the callers.
        this.queue = new QueueModel(profile.queue(), profile.queueCallsPerSecond(), seed * 0x9E3779B97F4A7C15L + 1);
        this.otherPaths = List.copyOf(profile.otherPaths().keySet());
        this.cumulative = new double[otherPaths.size()];
        double acc = 0;
        for (int i = 0; i < otherPaths.size(); i++) {
            acc += profile.otherPaths().get(otherPaths.get(i));
            cumulative[i] = acc;
        }
    }

    public Profile profile() {
        return profile;
    }

    /** The queue's agents (sized or given). */
    public int agents() {
        return queue.agents();
    }

    /** Multiplies the arrival rate (a spike: 3.0 triples it) from now on; 1.0 ends it. */
    public void spike(double factor) {
        this.spike = factor;
    }

    public double spikeFactor() {
        return spike;
    }

    /** Time to the next arrival (exponential) at the rate in force at {@code now}. */
    public Duration nextGap(Instant now) {
        double rate =
                profile.callsPerSecond() * profile.hourly()[now.atZone(zone).getHour()] * spike;
        double seconds = -Math.log(1 - random.nextDouble()) / Math.max(rate, 1e-6);
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** The recorded path a call arriving at {@code at} takes (arrivals in time order). */
    public String nextPath(Instant at) {
        String path = choose(at);
        counts.merge(path, 1L, Long::sum);
        return path;
    }

    private String choose(Instant at) {
        if (!profile.openAt(at.atZone(zone).getHour())) return "after-hours";
        double r = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return otherPaths.get(i);
        return queue.offer(at.getEpochSecond() + at.getNano() / 1e9).result().template;
    }

    /** How many calls took each path so far, by path name; safe to read from any thread. */
    public Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** A caller: a recent one again (repeat share), or a new valid US number. */
    public String nextCaller() {
        if (callers > 0 && random.nextDouble() < profile.repeatCallerShare())
            return recent[random.nextInt(Math.min(callers, recent.length))];
        String number = String.format(
                "+1%s555%04d",
                List.of("919", "984", "704", "336", "828").get(random.nextInt(5)), random.nextInt(10_000));
        recent[callers++ % recent.length] = number;
        return number;
    }
}
