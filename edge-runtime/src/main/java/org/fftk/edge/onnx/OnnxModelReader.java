package org.fftk.edge.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormatException;

/** Reads an fftk model from an ONNX file (SPEC §7) without any protobuf or ONNX library. */
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
        OnnxFile f = OnnxFile.read(file);
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
