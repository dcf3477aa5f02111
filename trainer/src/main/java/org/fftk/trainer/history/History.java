package org.fftk.trainer.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fftk.edge.io.AtomicFiles;

/** The per-epoch training history, serialised as JSON: {"config": {...}, "epochs": [...]}. */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> config;
    private final List<EpochRecord> epochs = new ArrayList<>();

    public History(Map<String, Object> config) {
        this.config = config;
    }

    public Map<String, Object> getConfig() {
        return config;
    }

    public List<EpochRecord> getEpochs() {
        return Collections.unmodifiableList(epochs);
    }

    public void add(EpochRecord r) {
        epochs.add(r);
    }

    public EpochRecord last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** The epochs as JSON (a checkpoint keeps them). */
    public String epochsJson() {
        try {
            return JSON.writeValueAsString(epochs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise history: " + e.getMessage(), e);
        }
    }

    /** Replaces the epochs with those of {@link #epochsJson} (a resumed run). */
    public void restoreEpochs(String json) throws IOException {
        List<EpochRecord> r = JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<List<EpochRecord>>() { });
        epochs.clear();
        epochs.addAll(r);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise history: " + e.getMessage(), e);
        }
    }

    /** Writes the JSON atomically ({@link AtomicFiles}). */
    public void write(Path target) throws IOException {
        AtomicFiles.write(target, toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
