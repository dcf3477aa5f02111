package org.fftk.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converter for counts that must be at least 1 (images, epochs, threads, seeds): a clear parse error otherwise. */
final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (v < 1) {
            throw new TypeConversionException("'" + value + "' must be at least 1");
        }
        return v;
    }
}
