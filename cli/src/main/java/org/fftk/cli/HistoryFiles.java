package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.io.InputFiles;

/** Reading the histories {@code fftk train --history} writes, for plot and analyze; one-line errors naming the file. */
final class HistoryFiles {
    /** Largest history read (a 60-epoch history is about 50 KB). */
    static final long MAX_BYTES = 64L << 20;

    private HistoryFiles() {
    }

    /** The epoch records of a history, in file order; each has an "epoch" number. */
    static List<JsonNode> epochs(Path p) throws IOException {
        long size = InputFiles.requireRegular(p);
        if (size > MAX_BYTES) {
            throw new IOException(p + " is larger than a training history (" + size + " bytes)");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(p));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(p + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("epochs").isArray()) {
            throw new IOException(p + " is not a training history (no \"epochs\" list; write one with fftk train --history)");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : root.get("epochs")) {
            if (!e.path("epoch").isNumber()) {
                throw new IOException(p + ": an epoch record without an \"epoch\" number");
            }
            out.add(e);
        }
        return out;
    }

    /** A legend name for a history file: its name without .history.json (or .json). */
    static String stem(Path p) {
        String n = p.getFileName().toString();
        for (String ext : new String[] {".history.json", ".json"}) {
            if (n.endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }
}
