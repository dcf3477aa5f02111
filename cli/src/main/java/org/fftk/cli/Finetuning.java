package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.io.Sha256;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.exporter.OnnxExporter;
import org.fftk.trainer.TrainConfig;
import org.fftk.trainer.Trainer;

/**
 * Fine-tuning a model with its architecture's own training rule, from exactly its weights: used by
 * {@code fftk finetune} and by {@code prune}/{@code sweep --finetune-epochs}. Adam starts afresh;
 * the result's provenance is the source's plus one "finetuning" entry.
 */
final class Finetuning {
    private Finetuning() {
    }

    /**
     * A deterministic fine-tuner for pruned models: {@code epochs} epochs on {@code train} (the
     * trainer holds out its validation tail as always), validation after the last epoch only,
     * learning rate {@code lr} (every rate the architecture trains with), else the model's recorded
     * rates (learning rate and ffnn-c's classifier rate) times {@code factor}.
     */
    static UnaryOperator<Model> tuner(Dataset train, int epochs, Float lr, double factor) {
        return m -> {
            TrainConfig c = config(m).withEpochs(epochs).withEvaluateEvery(0).withFfEpochs(0);
            if (lr != null) {
                c = c.withLearningRate(lr).withClassifierLearningRate(lr);
            } else if (factor != 1) {
                c = c.withLearningRate((float) (c.learningRate() * factor))
                        .withClassifierLearningRate((float) (c.classifierLearningRate() * factor));
            }
            Model trained = Trainer.train(c, train, null).model();
            try {
                String sha = Sha256.hex(OnnxExporter.toBytes(m));
                return trained.toBuilder().provenance(provenance(m, sha, c, trained, null)).build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot record the fine-tuning: " + e.getMessage(), e);
            }
        };
    }

    /**
     * The configuration that continues {@code m}: its architecture, widths, objective, θ and ffrnn
     * settings, the learning rates and batch size its provenance records (else the paper defaults),
     * starting from its weights.
     */
    static TrainConfig config(Model m) {
        return config(m, m.architecture());
    }

    /**
     * As {@link #config(Model)}, training architecture {@code a}: the model's own, or for an ffnn or
     * ffcnn model its -c form (a linear classifier added on its frozen layers).
     */
    static TrainConfig config(Model m, Architecture a) {
        TrainConfig c = TrainConfig.defaults(a).withWidths(m.widths()).withStart(m);
        if (a != Architecture.BPNN) {
            c = c.withObjective(m.objective()).withTheta(m.theta());
        }
        if (a == Architecture.FFRNN) {
            c = c.withBeta(m.beta()).withTrainFrames(m.trainFrames());
        }
        JsonNode p = Json.parseOrNull(m.provenance());
        if (a == Architecture.FFNN || a.isFfConv()) {
            c = c.withSoftmaxScore(Model.SCORE_SOFTMAX.equals(m.scoreRule()));
        }
        if (a == Architecture.FFNN || a == Architecture.FFNN_C) {
            c = c.withOverwriteLabel(m.labelOverwrites());
        }
        if (a.isConv()) {
            c = c.withConv(m.conv().kernels(), m.conv().strides(), m.conv().pads());
        }
        if (a.isFfConv()) {
            // the file's labels (the trainer takes the start model's own patterns or maps)
            c = c.withLabelIntensity(m.labelIntensity())
                    .withMorphologyLabels(m.labelMaps() != null)
                    .withScoreFrom(m.scoreFrom()).withCooldown(false);
            if (p != null && p.path("lossFrom").isInt()) {
                c = c.withLossFrom(p.get("lossFrom").asInt());
            }
            if (p != null && "mean".equals(p.path("goodness").asText())) {
                c = c.withSumGoodness(false);
            }
        }
        if (p != null) {
            if ("pairwise".equals(p.path("loss").asText()) && p.path("pairScale").isNumber()) {
                c = c.withPairwiseLoss((float) p.get("pairScale").asDouble());
                if ("norm".equals(p.path("goodness").asText()) && (a == Architecture.FFNN || a == Architecture.FFNN_C)) {
                    c = c.withNormGoodness(true);
                }
            }
            if (p.path("learningRate").isNumber()) {
                c = c.withLearningRate((float) p.get("learningRate").asDouble());
            }
            if (p.path("classifierLearningRate").isNumber()) {
                c = c.withClassifierLearningRate((float) p.get("classifierLearningRate").asDouble());
            }
            if (p.path("batchSize").isInt()) {
                c = c.withBatchSize(p.get("batchSize").asInt());
            }
        }
        return c;
    }

    /** The input's provenance plus one entry in its "finetuning" array. */
    static String provenance(Model source, String sourceSha256, TrainConfig cfg, Model trained, Double testAccuracy)
            throws Exception {
        JsonNode n = Json.parseOrNull(source.provenance());
        ObjectNode root = n instanceof ObjectNode ? (ObjectNode) n : Json.MAPPER.createObjectNode();
        ArrayNode arr = root.has("finetuning") && root.get("finetuning").isArray()
                ? (ArrayNode) root.get("finetuning") : root.putArray("finetuning");
        ObjectNode e = arr.addObject();
        e.put("epochs", cfg.epochs());
        if (cfg.architecture().hasFfClassifier()) {
            e.put("ffEpochs", cfg.ffEpochs());
            e.put("classifierLearningRate", cfg.classifierLearningRate());
        }
        e.put("learningRate", cfg.learningRate());
        e.put("batchSize", cfg.batchSize());
        e.put("seed", cfg.seed());
        e.put("trainExamples", Json.parseOrNull(trained.provenance()).path("trainExamples").asInt());
        JsonNode val = Json.parseOrNull(trained.provenance()).get("validationAccuracy");
        if (val != null) {
            e.set("validationAccuracy", val);
        }
        if (testAccuracy != null) {
            e.put("test_accuracy", testAccuracy);
        }
        e.put("source_sha256", sourceSha256);
        return Json.MAPPER.writeValueAsString(root);
    }
}
