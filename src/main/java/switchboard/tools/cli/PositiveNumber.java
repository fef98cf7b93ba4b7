package switchboard.tools.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A finite number above 0 (a rate, a factor); anything else is a one-line error picocli prefixes with the option's name. */
public final class PositiveNumber implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (d > 0 && Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // below
        }
        throw new TypeConversionException("must be a positive number, got '" + value + "'");
    }
}
