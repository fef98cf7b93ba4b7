package switchboard.tools.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import switchboard.tools.cli.Durations;

/**
 * The traffic options {@code demo} and {@code loadtest} share (a picocli mixin): {@code --agents N},
 * {@code --handle-time DURATION}, {@code --patience DURATION}, {@code --spike FACTOR@AT+FOR} (e.g. {@code 3@20+30}:
 * three times the rate from second 20 for 30 s). {@link #apply} changes a profile accordingly. Bad values are
 * one-line errors naming the option.
 */
@Command(name = "traffic")
public final class TrafficOptions {
    private static final Pattern SPIKE = Pattern.compile("([0-9.]+)@([0-9.]+)\\+([0-9.]+)");

    @Option(
            names = "--agents",
            paramLabel = "N",
            converter = AtLeastOne.class,
            description = "CSRs in the queue (default: sized from the rate and the profile's occupancy).")
    Integer agents;

    @Option(
            names = "--handle-time",
            paramLabel = "DURATION",
            converter = PositiveSeconds.class,
            description = "Mean talk + wrap-up time per answered call (e.g. 90s, 3m; a plain number is seconds).")
    Duration handleTime;

    @Option(
            names = "--patience",
            paramLabel = "DURATION",
            converter = PositiveSeconds.class,
            description =
                    "Mean time a caller waits in the queue before hanging up (e.g. 25s; a plain number is seconds).")
    Duration patience;

    @Option(
            names = "--spike",
            paramLabel = "F@A+D",
            converter = SpikeConverter.class,
            description = "Arrivals x F from second A for D seconds, e.g. 3@20+30.")
    TrafficModel.Spike spike;

    /** The options given, as {@code --name value} pairs (for reports and to tell whether any was given). */
    public List<String> consumed() {
        var out = new ArrayList<String>();
        if (agents != null) out.addAll(List.of("--agents", agents.toString()));
        if (handleTime != null) out.addAll(List.of("--handle-time", seconds(handleTime)));
        if (patience != null) out.addAll(List.of("--patience", seconds(patience)));
        if (spike != null)
            out.addAll(List.of(
                    "--spike",
                    number(spike.factor()) + "@" + number(spike.atSeconds()) + "+" + number(spike.forSeconds())));
        return List.copyOf(out);
    }

    public TrafficModel.Profile apply(TrafficModel.Profile profile) {
        var p = profile;
        if (agents != null) p = p.withAgents(agents);
        if (handleTime != null) p = p.withHandleTime(handleTime.toNanos() / 1e9);
        if (patience != null) p = p.withPatience(patience.toNanos() / 1e9);
        if (spike != null) p = p.withSpike(spike);
        return p;
    }

    private static String seconds(Duration d) {
        return number(d.toNanos() / 1e9);
    }

    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // falls through to the one-line error
            }
            throw new TypeConversionException("needs a whole number of at least 1, got '" + v + "'");
        }
    }

    static final class PositiveSeconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            Duration d = new Durations.Seconds().convert(v);
            if (d.isZero()) throw new TypeConversionException("needs a duration above 0, got '" + v + "'");
            return d;
        }
    }

    static final class SpikeConverter implements ITypeConverter<TrafficModel.Spike> {
        @Override
        public TrafficModel.Spike convert(String v) {
            var m = SPIKE.matcher(v);
            String error =
                    "needs FACTOR@AT+FOR (e.g. 3@20+30: 3 times the rate from second 20 for 30 s), got '" + v + "'";
            if (!m.matches()) throw new TypeConversionException(error);
            try {
                return new TrafficModel.Spike(
                        Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
            } catch (IllegalArgumentException e) { // NumberFormatException ("1.2.3") or a zero factor / length
                throw new TypeConversionException(error);
            }
        }
    }
}
