package org.fftk.edge.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.ModelFormatException;
import org.fftk.edge.model.Objective;
import org.fftk.edge.testutil.OnnxTestWriter;
import org.fftk.edge.testutil.OnnxTestWriter.FloatEncoding;
import org.fftk.edge.testutil.ProtoWriter;
import org.fftk.edge.testutil.RandomModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelReaderTest {

    private static void assertSameModel(Model a, Model b) {
        assertEquals(ModelFormat.metadata(a), ModelFormat.metadata(b));
        assertEquals(a.layers(), b.layers());
        assertEquals(a.classifier(), b.classifier());
    }

    @Test
    void roundTripsEveryArchitectureAndFloatEncoding() {
        long seed = 1;
        for (Architecture arch : Architecture.values()) {
            for (FloatEncoding enc : FloatEncoding.values()) {
                Model m = RandomModels.model(arch, Objective.MINIMIZE, 12, 3, seed++, 7, 5);
                Model back = OnnxModelReader.read(OnnxTestWriter.write(m, enc));
                assertSameModel(m, back);
                assertEquals(arch, back.architecture());
                assertEquals(Objective.MINIMIZE, back.objective());
            }
        }
    }

    @Test
    void exposesTheFileView() {
        Model m = RandomModels.model(Architecture.BPNN, Objective.MAXIMIZE, 6, 4, 3, 5);
        byte[] bytes = OnnxTestWriter.write(m, FloatEncoding.RAW_DATA);
        OnnxFile f = OnnxFile.parse(bytes);
        assertEquals(bytes.length, f.byteSize());
        assertEquals(8, f.irVersion());
        assertEquals("fftk-test", f.producerName());
        assertEquals(Long.valueOf(17), f.opsets().get(""));
        assertEquals("bpnn", f.metadata().get(ModelFormat.KEY_ARCHITECTURE));
        assertEquals(List.of("image"), f.inputs());
        assertEquals(List.of("scores", "label"), f.outputs());
        assertEquals(1, f.nodeCount());
        assertEquals("fftk", f.graphName());
        assertTrue(f.isFftk());
        Map<String, OnnxFile.Initializer> byName = new LinkedHashMap<>();
        for (OnnxFile.Initializer i : f.initializers()) {
            byName.put(i.name(), i);
        }
        assertEquals(List.of("layer0.weight", "layer0.bias", "classifier.weight", "classifier.bias", "shape_const"),
                List.copyOf(byName.keySet()));
        assertArrayEquals(new long[] {5, 6}, byName.get("layer0.weight").dims());
        assertArrayEquals(m.layers().get(0).weights(), byName.get("layer0.weight").floats());
        assertEquals(30, byName.get("layer0.weight").elementCount());
        OnnxFile.Initializer c = byName.get("shape_const");
        assertEquals(OnnxFile.INT64, c.dataType());
        assertEquals("INT64", c.dataTypeName());
        assertNull(c.floats());
    }

    @Test
    void handDecodedValuesMatchLittleEndianBytes() {
        // 1.0f = 0x3f800000, -2.5f = 0xc0200000, written byte by byte, not through the test writer
        byte[] raw = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0};
        ProtoWriter t = new ProtoWriter().varintField(1, 2).varintField(2, 1).stringField(8, "w").bytesField(9, raw);
        byte[] file = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, t)).toByteArray();
        OnnxFile f = OnnxFile.parse(file);
        assertArrayEquals(new float[] {1f, -2.5f}, f.initializers().get(0).floats());
    }

    @Test
    void everyTruncationGivesACleanError() {
        Model m = RandomModels.model(Architecture.FFRNN, Objective.MAXIMIZE, 3, 2, 5, 2);
        for (FloatEncoding enc : FloatEncoding.values()) {
            byte[] full = OnnxTestWriter.write(m, enc);
            assertSameModel(m, OnnxModelReader.read(full));
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(cut),
                        "truncated to " + len + " bytes");
                assertOneLine(e);
            }
        }
    }

    @Test
    void truncationMessageNamesLengthOffsetAndFileSize() {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 8, 2, 5, 4);
        byte[] full = OnnxTestWriter.write(m, FloatEncoding.RAW_DATA);
        byte[] cut = Arrays.copyOf(full, full.length - 10);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(cut));
        assertTrue(e.getMessage().matches("corrupt ONNX file: length \\d+ at byte \\d+ runs past the end \\(file is "
                + cut.length + " bytes\\)"), e.getMessage());
    }

    @Test
    void foreignOnnxIsNotAnFftkModel() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("author", "someone else");
        byte[] bytes = OnnxTestWriter.write(meta, null, FloatEncoding.RAW_DATA);
        OnnxFile f = OnnxFile.parse(bytes);
        assertFalse(f.isFftk());
        ModelFormatException e = assertThrows(ModelFormatException.class, f::toModel);
        assertTrue(e.getMessage().startsWith("not an fftk model"), e.getMessage());
    }

    @Test
    void missingWeightAndWrongTypeAreNamed() {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 4, 2, 5, 3);
        Map<String, String> meta = ModelFormat.metadata(m);
        meta.put(ModelFormat.KEY_WIDTHS, "3,3");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxModelReader.read(OnnxTestWriter.write(meta, m, FloatEncoding.RAW_DATA)));
        assertTrue(e.getMessage().contains("layer1.weight"), e.getMessage());

        ProtoWriter t = new ProtoWriter().varintField(1, 3).varintField(1, 6).varintField(2, 11).stringField(8, "layer0.weight");
        ProtoWriter g = new ProtoWriter().messageField(5, t);
        ProtoWriter model = new ProtoWriter();
        for (Map.Entry<String, String> en : ModelFormat.metadata(m).entrySet()) {
            model.messageField(14, new ProtoWriter().stringField(1, en.getKey()).stringField(2, en.getValue()));
        }
        model.messageField(7, g);
        e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(model.toByteArray()));
        assertEquals("initializer 'layer0.weight' is DOUBLE, expected FLOAT", e.getMessage());
    }

    @Test
    void rawDataOfTheWrongSizeIsRefused() {
        ProtoWriter t = new ProtoWriter().varintField(1, 3).varintField(2, 1).stringField(8, "w").bytesField(9, new byte[8]);
        byte[] file = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, t)).toByteArray();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxFile.parse(file));
        assertTrue(e.getMessage().contains("8 bytes of raw_data for shape [3] (expected 12)"), e.getMessage());
    }

    @Test
    void absurdShapesAreRefusedBeforeAllocating() {
        ProtoWriter t = new ProtoWriter().varintField(1, 1L << 40).varintField(1, 1L << 40).varintField(2, 1).stringField(8, "w");
        byte[] file = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, t)).toByteArray();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxFile.parse(file));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
        ProtoWriter t2 = new ProtoWriter().varintField(1, 100000).varintField(1, 100000).varintField(2, 1).stringField(8, "w");
        byte[] file2 = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, t2)).toByteArray();
        e = assertThrows(ModelFormatException.class, () -> OnnxFile.parse(file2));
        assertTrue(e.getMessage().contains("absurd shape"), e.getMessage());
    }

    @Test
    void malformedWireDataGivesCleanErrors() {
        // a length far past the end
        byte[] hugeLen = new ProtoWriter().tag(7, 2).varint(0xFFFFFFFFFFL).toByteArray();
        assertMessage(hugeLen, "corrupt ONNX file: length 1099511627775 at byte 1 runs past the end (file is 7 bytes)");
        // an 11-byte varint
        byte[] longVarint = new byte[12];
        longVarint[0] = 8;
        Arrays.fill(longVarint, 1, 12, (byte) 0x80);
        assertMessage(longVarint, "corrupt ONNX file: varint at byte 1 is longer than 10 bytes (file is 12 bytes)");
        // groups (wire types 3 and 4) and wire types 6, 7
        for (int wire : new int[] {3, 4, 6, 7}) {
            byte[] g = new ProtoWriter().tag(20, wire).varint(0).toByteArray();
            assertMessage(g, "corrupt ONNX file: unsupported wire type " + wire + " (field 20) at byte 0 (file is 3 bytes)");
        }
        // field number 0
        assertMessage(new byte[] {0, 0}, "corrupt ONNX file: invalid field number 0 at byte 0 (file is 2 bytes)");
        // a known field with the wrong wire type
        byte[] wrongWire = new ProtoWriter().varintField(7, 3).toByteArray();
        assertThrows(ModelFormatException.class, () -> OnnxFile.parse(wrongWire));
        // unknown fields of every wire type are skipped
        byte[] unknown = new ProtoWriter().varintField(30, 5).fixed64Field(31, -1).fixed32Field(32, 7)
                .bytesField(33, new byte[] {1, 2, 3}).messageField(7, new ProtoWriter()
                        .fixed64Field(40, 1).fixed32Field(41, 1).varintField(42, 1).bytesField(43, new byte[0]))
                .toByteArray();
        assertEquals(0, OnnxFile.parse(unknown).initializers().size());
        // no graph at all / empty file
        assertMessage(new ProtoWriter().varintField(1, 8).toByteArray(), "not an ONNX model: the file holds no graph (2 bytes)");
        assertMessage(new byte[0], "not an ONNX file: it is empty");
    }

    @Test
    void randomGarbageGivesCleanErrors() {
        Random r = new Random(42);
        for (int k = 0; k < 3000; k++) {
            byte[] g = new byte[1 + r.nextInt(k < 2000 ? 64 : 4096)];
            r.nextBytes(g);
            if (k % 3 == 0) {
                g[0] = 0x3a; // start with a plausible graph field (7, LEN)
            }
            try {
                OnnxModelReader.read(g);
                fail("garbage was accepted");
            } catch (ModelFormatException e) {
                assertOneLine(e);
            }
        }
    }

    @Test
    void readingAFileNamesIt(@TempDir Path dir) throws Exception {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 4, 2, 9, 3);
        Path p = OnnxTestWriter.writeFile(dir, "m.onnx", m);
        assertSameModel(m, OnnxModelReader.read(p));
        byte[] b = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": corrupt ONNX file: "), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void layerShapesMustMatchMetadata() {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 4, 2, 5, 3);
        DenseLayer l = m.layers().get(0);
        Model other = m.toBuilder().layers(List.of(new DenseLayer(3, 6, l.weights(), l.biases()))).build();
        Map<String, String> meta = ModelFormat.metadata(m);
        meta.put(ModelFormat.KEY_INPUT_SIZE, "5");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxModelReader.read(OnnxTestWriter.write(meta, other, FloatEncoding.RAW_DATA)));
        assertTrue(e.getMessage().contains("layer0.weight") && e.getMessage().contains("expected [3, 7]"), e.getMessage());
    }

    private static void assertMessage(byte[] bytes, String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(bytes));
        assertEquals(expected, e.getMessage());
    }

    private static void assertOneLine(Exception e) {
        String msg = e.getMessage();
        assertTrue(msg != null && !msg.isEmpty() && !msg.contains("\n"), "message: " + msg);
    }

    /** A file must not be able to make prediction loop (nearly) forever: frame counts are bounded. */
    @Test
    void ffrnnFrameCountsFromTheFileAreBounded() {
        Model m = RandomModels.model(Architecture.FFRNN, Objective.MAXIMIZE, 12, 3, 5, 6, 4);
        for (String[] bad : new String[][] {{ModelFormat.KEY_TEST_FRAMES, "1..2147483647"},
                {ModelFormat.KEY_TEST_FRAMES, "3..800000"}, {ModelFormat.KEY_TRAIN_FRAMES, "1000000"},
                {ModelFormat.KEY_TEST_FRAMES, "0..8"}}) {
            Map<String, String> meta = new LinkedHashMap<>(ModelFormat.metadata(m));
            meta.put(bad[0], bad[1]);
            byte[] file = OnnxTestWriter.write(meta, m, FloatEncoding.RAW_DATA);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(file),
                    Arrays.toString(bad));
            assertTrue(e.getMessage().contains("frames must be 1.." + Model.MAX_FRAMES), e.getMessage());
        }
        Map<String, String> ok = new LinkedHashMap<>(ModelFormat.metadata(m));
        ok.put(ModelFormat.KEY_TEST_FRAMES, "1.." + Model.MAX_FRAMES);
        assertEquals(Model.MAX_FRAMES, OnnxModelReader.read(OnnxTestWriter.write(ok, m, FloatEncoding.RAW_DATA)).testFrameHigh());
    }

    @Test
    void datasetAndClassNamesRoundTripAndAreChecked() {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 12, 3, 5, 6).toBuilder().dataset("toy")
                .classes(List.of("cat", "dog", "ankle boot")).build();
        Model back = OnnxModelReader.read(OnnxTestWriter.write(m, FloatEncoding.RAW_DATA));
        assertEquals("toy", back.dataset());
        assertEquals(List.of("cat", "dog", "ankle boot"), back.classes());
        assertEquals("dog", back.className(1));
        Model plain = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 12, 3, 5, 6);
        assertEquals("2", plain.className(2));
        assertFalse(ModelFormat.metadata(plain).containsKey(ModelFormat.KEY_DATASET), "no key for an unknown dataset");
        assertThrows(IllegalArgumentException.class, () -> plain.toBuilder().classes(List.of("a", "b")).build());
        assertThrows(IllegalArgumentException.class, () -> plain.toBuilder().classes(List.of("a", "b,c", "d")).build());
    }
}
