package org.fftk.cli;

import picocli.CommandLine.Option;

/** {@code --limit N} of the commands that report a model's test accuracy (factor, prune, quantize); see {@link DataOptions#testImages}. */
final class TestLimit {
    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N", description = "use only the first N test images for accuracy")
    Integer limit;
}
