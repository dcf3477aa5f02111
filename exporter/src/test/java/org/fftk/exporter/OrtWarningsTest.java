package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime 1.20 loads every exported architecture without a single warning. */
class OrtWarningsTest {
    @TempDir
    Path dir;

    @Test
    void exportedModelsLoadWithoutWarnings() throws Exception {
        List<Model> models = new ArrayList<>(OnnxFileTest.models());
        models.add(TestModels.ffnn(9, 784, new int[] {5}, Objective.MINIMIZE, 0.1f, 1.0));
        models.addAll(extraModels());
        List<String> files = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path f = dir.resolve("m" + i + ".onnx");
            OnnxExporter.write(models.get(i), f);
            files.add(f.toString());
        }
        String log = probe(files);
        assertEquals(models.size(), log.lines().filter(l -> l.startsWith("loaded ")).count(), log);
        List<String> warnings = log.lines().filter(l -> !l.startsWith("loaded ")).collect(Collectors.toList());
        assertTrue(warnings.isEmpty(), "ONNX Runtime said:\n" + String.join("\n", warnings));
    }

    /** Control: the probe does see ORT's warnings (an unused initializer makes ORT warn). */
    @Test
    void probeSeesWarnings() throws Exception {
        ModelProto p = OnnxExporter.toProto(OnnxFileTest.models().get(3));
        ModelProto bad = p.toBuilder().setGraph(p.getGraph().toBuilder().addInitializer(TensorProto.newBuilder()
                .setName("unused").setDataType(TensorProto.DataType.FLOAT.getNumber()).addDims(1)
                .setRawData(ByteString.copyFrom(new byte[4])))).build();
        Path f = dir.resolve("bad.onnx");
        Files.write(f, bad.toByteArray());
        String log = probe(List.of(f.toString()));
        assertTrue(log.contains("unused") && log.contains("W:"), "expected an ORT warning about 'unused', got:\n" + log);
    }

    /** Architectures added later register here (so the warning check covers them). */
    static List<Model> extraModels() {
        List<Model> m = new ArrayList<>(FfrnnCases.exportable());
        m.addAll(Int8Test.quantized());
        return m;
    }

    static String probe(List<String> files) throws IOException, InterruptedException {
        return runMain(OrtLoadProbe.class, files);
    }

    /** Runs a main class in a fresh JVM with this test's class path; returns its stdout and stderr. */
    static String runMain(Class<?> main, List<String> args) throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(args);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        String log = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), log);
        return log;
    }
}
