package org.fftk.exporter;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.fftk.edge.model.Model;

/** Child-process main for {@link OnnxFileTest}: SHA-256 of each test model's export, one per line. */
public final class ExportHashProbe {
    private ExportHashProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (Model m : OnnxFileTest.allModels()) {
            System.out.println(sha256(OnnxExporter.toBytes(m)));
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
