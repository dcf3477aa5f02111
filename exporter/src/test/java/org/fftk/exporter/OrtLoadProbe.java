package org.fftk.exporter;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Child-process main for {@link OrtWarningsTest}: loads each model file in ONNX Runtime with
 * logging at WARNING (ORT writes its log to the native stderr, which a JVM cannot capture in-process)
 * and strict shape/type inference.
 */
public final class OrtLoadProbe {
    private OrtLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "probe");
        for (String a : args) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
                o.setIntraOpNumThreads(1);
                // type/shape inference errors fail the load instead of being tolerated
                o.addConfigEntry("session.strict_shape_type_inference", "1");
                try (OrtSession s = env.createSession(Files.readAllBytes(Paths.get(a)), o)) {
                    System.out.println("loaded " + a + " inputs " + s.getInputNames() + " outputs " + s.getOutputNames());
                }
            }
        }
    }
}
