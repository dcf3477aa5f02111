package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.Objective;
import org.fftk.edge.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file holds: initializers, metadata, header fields, size; and how it is written. */
class OnnxFileTest {
    @TempDir
    Path dir;

    static List<Model> models() {
        return List.of(
                TestModels.ffnn(1, 784, new int[] {200, 7}, Objective.MAXIMIZE, 2f, 1.0),
                TestModels.ffnn(2, 784, new int[] {33, 17, 9}, Objective.MINIMIZE, 0.5f, 0.0),
                TestModels.ffnnC(3, 784, new int[] {64, 13}, 1.0),
                TestModels.bpnn(4, 784, new int[] {100, 50}).toBuilder()
                        .provenance("{\"note\":\"Fashion–MNIST, \\\"quoted\\\", ü, 数据\\nsecond line\"}").build());
    }

    @Test
    void initializersAreExactlyTheModelTensorsAsRawFloat32() throws Exception {
        for (Model m : models()) {
            ModelProto p = ModelProto.parseFrom(OnnxExporter.toBytes(m));
            List<Tensor> want = ModelFormat.tensors(m);
            Map<String, TensorProto> got = new LinkedHashMap<>();
            long otherBytes = 0;
            for (TensorProto t : p.getGraph().getInitializerList()) {
                got.put(t.getName(), t);
            }
            for (Tensor t : want) {
                TensorProto g = got.remove(t.name());
                assertTrue(g != null, m.architecture() + ": missing initializer " + t.name());
                assertEquals(TensorProto.DataType.FLOAT.getNumber(), g.getDataType(), t.name());
                assertArrayEquals(t.dims(), g.getDimsList().stream().mapToLong(Long::longValue).toArray(), t.name());
                assertEquals(0, g.getFloatDataCount(), t.name() + " must be raw_data");
                float[] data = new float[t.data().length];
                ByteBuffer.wrap(g.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                assertArrayEquals(t.data(), data, t.name());
            }
            // what is left are the graph's small constants (axes, shapes, scalars)
            for (TensorProto t : got.values()) {
                long n = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
                assertTrue(n <= 4, "unexpected non-weight initializer " + t.getName() + " with " + n + " values");
                assertFalse(t.getName().startsWith("layer") || t.getName().startsWith("classifier"), t.getName());
                otherBytes += t.getSerializedSize();
            }
            assertTrue(otherBytes < 1024, "constants take " + otherBytes + " bytes");
        }
    }

    /** The file size is the compression-ratio metric: it must be the weights and little else. */
    @Test
    void fileSizeIsFourBytesPerParameterPlusASmallGraph() throws Exception {
        for (Model m : models()) {
            byte[] b = OnnxExporter.toBytes(m);
            long weights = 4 * m.parameterCount();
            long rawBytes = ModelProto.parseFrom(b).getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().startsWith("layer") || t.getName().startsWith("classifier"))
                    .mapToLong(t -> t.getRawData().size()).sum();
            assertEquals(weights, rawBytes, m.architecture() + " weight bytes");
            assertTrue(b.length >= weights && b.length < weights + 8192 + m.provenance().length(),
                    m.architecture() + ": file " + b.length + " bytes for " + weights + " bytes of weights");
        }
    }

    @Test
    void headerAndMetadata() throws Exception {
        for (Model m : models()) {
            ModelProto p = ModelProto.parseFrom(OnnxExporter.toBytes(m));
            assertEquals("fftk", p.getProducerName());
            assertEquals(8, p.getIrVersion());
            assertEquals(1, p.getOpsetImportCount());
            assertEquals("", p.getOpsetImport(0).getDomain());
            assertEquals(17, p.getOpsetImport(0).getVersion());
            Map<String, String> meta = new LinkedHashMap<>();
            for (StringStringEntryProto e : p.getMetadataPropsList()) {
                meta.put(e.getKey(), e.getValue());
            }
            assertEquals(ModelFormat.metadata(m), meta);
            assertEquals(List.of("image"), p.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
            assertEquals(List.of("scores", "label"), p.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
            // the model can be rebuilt from the file's parts alone
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorProto t : p.getGraph().getInitializerList()) {
                if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber() && t.getDimsCount() > 0) {
                    float[] data = new float[t.getRawData().size() / 4];
                    ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                    tensors.put(t.getName(), new Tensor(t.getName(),
                            t.getDimsList().stream().mapToLong(Long::longValue).toArray(), data));
                }
            }
            Model back = ModelFormat.fromParts(meta, tensors);
            assertModelsEqual(m, back);
        }
    }

    @Test
    void ortSeesTheContractsInputAndOutputTypes() throws Exception {
        Model m = models().get(0);
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(m))) {
            OrtSession s = ort.session();
            TensorInfo in = (TensorInfo) s.getInputInfo().get("image").getInfo();
            assertEquals(OnnxJavaType.FLOAT, in.type);
            assertArrayEquals(new long[] {-1, 784}, in.getShape());
            TensorInfo sc = (TensorInfo) s.getOutputInfo().get("scores").getInfo();
            assertEquals(OnnxJavaType.FLOAT, sc.type);
            assertArrayEquals(new long[] {-1, 10}, sc.getShape());
            TensorInfo lb = (TensorInfo) s.getOutputInfo().get("label").getInfo();
            assertEquals(OnnxJavaType.INT64, lb.type);
            assertArrayEquals(new long[] {-1}, lb.getShape());
            assertEquals("fftk", s.getMetadata().getProducerName());
            assertEquals("ffnn", s.getMetadata().getCustomMetadataValue("fftk.architecture").orElseThrow());
        }
    }

    @Test
    void writeCreatesAndReplacesTheFile() throws Exception {
        Path f = dir.resolve("m.onnx");
        Model a = models().get(0);
        Model b = models().get(3);
        OnnxExporter.write(a, f);
        assertArrayEquals(OnnxExporter.toBytes(a), Files.readAllBytes(f));
        OnnxExporter.write(b, f);
        assertArrayEquals(OnnxExporter.toBytes(b), Files.readAllBytes(f));
        assertEquals(List.of(f), listDir());
    }

    @Test
    void failedWriteLeavesTheExistingFileUntouched() throws Exception {
        Path f = dir.resolve("m.onnx");
        byte[] old = "precious old model".getBytes(StandardCharsets.UTF_8);
        Files.write(f, old);
        // the content writer fails after writing part of the file
        IOException e = assertThrows(IOException.class, () -> org.fftk.edge.io.AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(f));
        assertEquals(List.of(f), listDir(), "no temporary file may be left behind");
        // a successful write afterwards replaces it whole
        OnnxExporter.write(models().get(1), f);
        assertArrayEquals(OnnxExporter.toBytes(models().get(1)), Files.readAllBytes(f));
    }

    @Test
    void writeOntoADirectoryFailsAndLeavesItAlone() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("taken.onnx"));
        Files.write(sub.resolve("inside"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> OnnxExporter.write(models().get(0), sub));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(sub.resolve("inside")));
        assertEquals(List.of(sub), listDir());
    }

    @Test
    void writeIntoAMissingDirectoryFailsClearly() {
        Path f = dir.resolve("no/such/dir/m.onnx");
        IOException e = assertThrows(IOException.class, () -> OnnxExporter.write(models().get(0), f));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    static List<Model> allModels() {
        List<Model> all = new java.util.ArrayList<>(models());
        all.addAll(FfrnnCases.exportable());
        return all;
    }

    /** Same model, same bytes, also in another JVM (Map.of iteration order differs between JVM runs). */
    @Test
    void outputIsDeterministic() throws Exception {
        StringBuilder here = new StringBuilder();
        for (Model m : allModels()) {
            byte[] a = OnnxExporter.toBytes(m);
            assertArrayEquals(a, OnnxExporter.toBytes(m));
            for (ai.onnx.proto.OnnxMl.NodeProto n : ModelProto.parseFrom(a).getGraph().getNodeList()) {
                List<String> names = n.getAttributeList().stream().map(ai.onnx.proto.OnnxMl.AttributeProto::getName).toList();
                assertEquals(names.stream().sorted().toList(), names, n.getName());
            }
            here.append(ExportHashProbe.sha256(a)).append('\n');
        }
        assertEquals(here.toString(), OrtWarningsTest.runMain(ExportHashProbe.class, List.of()));
    }

    @Test
    void modelsBeyondTheProtobufLimitAreRejectedClearly() {
        OnnxExporter.checkSize(400_000_000L); // 1.6 GB: fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.checkSize(600_000_000L));
        assertTrue(e.getMessage().startsWith("model too large for one ONNX file: 600000000 parameters"), e.getMessage());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static void assertModelsEqual(Model a, Model b) {
        assertEquals(a.architecture(), b.architecture());
        assertEquals(a.inputSize(), b.inputSize());
        assertEquals(a.numLabels(), b.numLabels());
        assertEquals(a.layers(), b.layers());
        assertEquals(a.classifier(), b.classifier());
        assertEquals(a.theta(), b.theta());
        assertEquals(a.objective(), b.objective());
        assertEquals(a.labelEncoding(), b.labelEncoding());
        assertEquals(a.normEpsilon(), b.normEpsilon());
        assertEquals(a.provenance(), b.provenance());
        assertEquals(ModelFormat.metadata(a), ModelFormat.metadata(b));
    }
}
