package org.fftk.edge.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.Tensor;

/**
 * Writes fftk models as ONNX files with the test {@link ProtoWriter}: metadata_props, initializers
 * and graph inputs/outputs per docs/algorithms.md "Model file" (the graph has one placeholder node; the edge reader does not
 * read nodes). Field numbers follow onnx.proto.
 */
public final class OnnxTestWriter {
    /** How float initializers are encoded. */
    public enum FloatEncoding { RAW_DATA, PACKED_FLOAT_DATA, UNPACKED_FLOAT_DATA }

    private OnnxTestWriter() {
    }

    public static byte[] write(Model m, FloatEncoding enc) {
        return write(ModelFormat.metadata(m), m, enc);
    }

    public static byte[] write(Map<String, String> meta, Model m, FloatEncoding enc) {
        ProtoWriter model = new ProtoWriter();
        model.varintField(1, 8); // ir_version
        model.stringField(2, "fftk-test");
        model.stringField(3, "0.1");
        model.messageField(8, new ProtoWriter().stringField(1, "").varintField(2, 17)); // opset_import
        model.stringField(6, "doc string the reader skips");
        for (Map.Entry<String, String> e : meta.entrySet()) {
            model.messageField(14, new ProtoWriter().stringField(1, e.getKey()).stringField(2, e.getValue()));
        }
        ProtoWriter graph = new ProtoWriter();
        graph.messageField(1, new ProtoWriter().stringField(1, "image").stringField(2, "scores")
                .stringField(3, "n0").stringField(4, "Identity"));
        graph.stringField(2, "fftk");
        boolean packDims = false;
        if (m != null) {
            for (Tensor t : ModelFormat.tensors(m)) {
                graph.messageField(5, tensor(t, enc, packDims));
                packDims = !packDims;
            }
        }
        // an INT64 constant, as real exported graphs hold (shapes, indices): readers skip it
        graph.messageField(5, new ProtoWriter().varintField(1, 2).varintField(2, 7).varintField(7, 1).varintField(7, 10)
                .stringField(8, "shape_const"));
        graph.messageField(11, valueInfo("image"));
        graph.messageField(12, valueInfo("scores"));
        graph.messageField(12, valueInfo("label"));
        model.messageField(7, graph); // graph last: every truncation cuts into it
        return model.toByteArray();
    }

    private static ProtoWriter valueInfo(String name) {
        // name plus a type field (2) the reader must skip
        return new ProtoWriter().stringField(1, name).messageField(2, new ProtoWriter().varintField(1, 1));
    }

    public static ProtoWriter tensor(Tensor t, FloatEncoding enc, boolean packDims) {
        ProtoWriter p = new ProtoWriter();
        long[] dims = t.dims();
        if (packDims) {
            ProtoWriter d = new ProtoWriter();
            for (long v : dims) {
                d.varint(v);
            }
            p.bytesField(1, d.toByteArray());
        } else {
            for (long v : dims) {
                p.varintField(1, v);
            }
        }
        p.varintField(2, 1);
        p.stringField(8, t.name());
        float[] data = t.data();
        switch (enc) {
            case RAW_DATA:
                p.bytesField(9, floatBytes(data));
                break;
            case PACKED_FLOAT_DATA:
                p.bytesField(4, floatBytes(data));
                break;
            default:
                for (float v : data) {
                    p.fixed32Field(4, Float.floatToIntBits(v));
                }
        }
        return p;
    }

    public static byte[] floatBytes(float[] data) {
        ProtoWriter w = new ProtoWriter();
        for (float v : data) {
            w.fixed32(Float.floatToIntBits(v));
        }
        return w.toByteArray();
    }

    public static Path writeFile(Path dir, String name, Model m) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, write(m, FloatEncoding.RAW_DATA));
        return p;
    }
}
