package org.fftk.pruner.sweep;

import java.util.Objects;
import java.util.function.Function;
import org.fftk.edge.model.Model;
import org.fftk.pruner.io.Hashing;

/**
 * A model in a sweep: a display name (e.g. the file name), the model, and the SHA-256 of its model
 * file, which keys its points in sweep.json (so a resumed sweep recognises the model by content).
 */
public record SweepModel(String name, Model model, String sha256) {
    public SweepModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Hashes {@code serializer.apply(model)}; the CLI may rather pass the file's own hash. */
    public static SweepModel of(String name, Model model, Function<Model, byte[]> serializer) {
        return new SweepModel(name, model, Hashing.sha256(serializer.apply(model)));
    }
}
