package switchboard.tools.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: {@code 30s}, {@code 1500ms}, {@code 2m}, {@code 1h}, {@code 1.5s}, or a plain
 * number in the unit the option always took ({@link Seconds} for the {@code S}/{@code SECONDS} options,
 * {@link Millis} for the {@code -ms} ones), so {@code --hold-ms 500} and {@code --duration 60} keep working.
 */
public final class Durations {
    private Durations() {}

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?");

    /** Parses {@code text}; a number without a unit is in {@code plainUnit}. Bad input: a one-line {@link IllegalArgumentException}. */
    public static Duration parse(String text, ChronoUnit plainUnit) {
        var m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is " + unitName(plainUnit) + ")");
        }
        ChronoUnit unit = m.group(2) == null
                ? plainUnit
                : switch (m.group(2)) {
                    case "ms" -> ChronoUnit.MILLIS;
                    case "s" -> ChronoUnit.SECONDS;
                    case "m" -> ChronoUnit.MINUTES;
                    default -> ChronoUnit.HOURS;
                };
        BigDecimal nanos = new BigDecimal(m.group(1))
                .multiply(BigDecimal.valueOf(unit.getDuration().toNanos()));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        return Duration.ofNanos(nanos.longValue());
    }

    /** Whole seconds of {@code d}, or a one-line error naming {@code option} when it has a fraction of a second. */
    public static int wholeSeconds(String option, Duration d) {
        if (d.toNanos() % 1_000_000_000L != 0 || d.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " needs whole seconds, got " + d.toMillis() + " ms");
        }
        return (int) d.getSeconds();
    }

    private static String unitName(ChronoUnit unit) {
        return unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(Locale.ROOT);
    }

    private static Duration convert(String value, ChronoUnit plainUnit) {
        try {
            return parse(value, plainUnit);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A duration option whose plain numbers are seconds. */
    public static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.convert(value, ChronoUnit.SECONDS);
        }
    }

    /** A duration option whose plain numbers are milliseconds. */
    public static final class Millis implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.convert(value, ChronoUnit.MILLIS);
        }
    }
}
