package org.fftk.pruner.io;

import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.exporter.OnnxExporter;

/** The model file format of docs/algorithms.md "Model file" (ONNX): what the pruner measures, reads and writes. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** The ONNX bytes of a model (the serializer for {@code Pruner}, {@code ModelMeasures}, sweeps). */
    public static byte[] onnx(Model m) {
        return OnnxExporter.toBytes(m);
    }

    /** Reads an fftk ONNX model (one-line ModelFormatException for files that are not). */
    public static Model read(Path file) throws IOException {
        return OnnxModelReader.read(file);
    }

    /** Writes a model as ONNX, atomically. */
    public static void write(Model m, Path file) throws IOException {
        OnnxExporter.write(m, file);
    }
}
