package switchboard.tools.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number of at least 1; anything else is a one-line error picocli prefixes with the option's name. */
public final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new TypeConversionException("must be a positive whole number, got '" + value + "'");
    }
}
