package org.fftk.pruner.io;

import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.io.Sha256;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxFile;
import org.fftk.edge.onnx.OnnxModelReader;

/**
 * A model file read once: its path, the model, its exact bytes and their SHA-256. The hash and the
 * size of a model always mean those of the file on disk (what {@code sha256sum} prints), whether
 * {@code fftk prune} or {@code fftk sweep} reports them.
 */
public record ModelFile(Path path, Model model, byte[] bytes, String sha256) {
    /** Reads a model file once (see {@link OnnxFile#readBytes} for the bounds), parses and hashes it. */
    public static ModelFile read(Path path) throws IOException {
        byte[] b = OnnxFile.readBytes(path);
        return new ModelFile(path, OnnxModelReader.read(path, b), b, Sha256.hex(b));
    }

    /** A model that is not on disk yet, as the exporter would write it. */
    public static ModelFile of(Model m) {
        byte[] b = ModelFiles.onnx(m);
        return new ModelFile(null, m, b, Sha256.hex(b));
    }
}
