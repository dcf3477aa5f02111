package org.fftk.pruner.io;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.fftk.edge.io.AtomicFiles;

/** CSV files (commons-csv, RFC 4180 quoting, UTF-8), written atomically. */
public final class CsvFiles {
    private CsvFiles() {
    }

    /** Writes a header line and one line per record. */
    public static void write(Path file, String[] header, List<? extends Iterable<?>> records) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).build());
            for (Iterable<?> r : records) {
                csv.printRecord(r);
            }
            csv.flush();
        });
    }
}
