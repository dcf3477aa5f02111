package org.fftk.pruner.sweep;

import java.util.Objects;
import java.util.function.Function;
import org.fftk.edge.model.Model;
import org.fftk.edge.io.Sha256;

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

    /** A model file in a sweep, keyed by the SHA-256 of the file's bytes (as {@code fftk prune} records it). */
    public static SweepModel of(String name, org.fftk.pruner.io.ModelFile file) {
        return new SweepModel(name, file.model(), file.sha256());
    }

    /** A model not read from a file: hashes {@code serializer.apply(model)}. */
    public static SweepModel of(String name, Model model, Function<Model, byte[]> serializer) {
        return new SweepModel(name, model, Sha256.hex(serializer.apply(model)));
    }
}
