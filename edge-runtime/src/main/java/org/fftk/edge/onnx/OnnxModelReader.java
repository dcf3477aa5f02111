package org.fftk.edge.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormatException;

/**
 * Reads an fftk model from an ONNX file (docs/algorithms.md, "Model file") without any protobuf or
 * ONNX library.
 *
 * <p>Bounds enforced while reading, so that no file can make a reader or a predictor loop or
 * allocate without limit: only regular files are opened (a device or named pipe is refused before
 * it is opened) and a file is read once, at most {@link OnnxFile#MAX_BYTES} bytes; every length
 * inside the protobuf is checked against the bytes that remain; every layer size (widths, input
 * size, label count) must match an initializer present in the file, so allocations are bounded by
 * the file's size; FFRNN frame counts ({@code fftk.ffrnn.train_frames}, {@code fftk.ffrnn.test_frames})
 * must lie in 1..{@link org.fftk.edge.model.Model#MAX_FRAMES}, and β in (0, 1].
 */
public final class OnnxModelReader {
    private OnnxModelReader() {
    }

    /**
     * Reads a model file.
     *
     * @throws IOException          when the file cannot be read
     * @throws ModelFormatException (one line, starting with the file name) when it is corrupt, not an
     *                              fftk model, or inconsistent
     */
    public static Model read(Path file) throws IOException {
        return read(file, OnnxFile.readBytes(file));
    }

    /** A model from the bytes of {@code file} (already read); errors start with the file name. */
    public static Model read(Path file, byte[] bytes) {
        OnnxFile f = OnnxFile.parse(file, bytes);
        try {
            return f.toModel();
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a model from the bytes of an ONNX file. */
    public static Model read(byte[] bytes) {
        return OnnxFile.parse(bytes).toModel();
    }
}
