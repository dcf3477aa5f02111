package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.pruner.io.ModelFile;
import org.fftk.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk finetune}: continues training any model file with its architecture's own rule. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue training a model file (trained, pruned or fine-tuned before) from exactly its weights,",
                "with its architecture's own rule: FF local losses for ffnn and ffrnn, the classifier for ffnn-c",
                "(with --ff-epochs, first its FF layers), backprop for bpnn. Adam starts afresh. Settings not given",
                "come from the model (objective, theta, beta, frames) and its provenance (learning rates, batch size).",
                "The output's provenance keeps the input's and adds a 'finetuning' entry."})
final class FinetuneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the model to continue from")
    Path model;

    @Mixin
    TrainingRun run;

    @Option(names = "--ff-epochs", paramLabel = "K", defaultValue = "0",
            description = "ffnn-c: epochs of FF-layer training before the classifier's (default: ${DEFAULT-VALUE}, classifier only)")
    int ffEpochs;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (run.epochs == null) {
            throw new IllegalArgumentException("--epochs is required: how many epochs to fine-tune for");
        }
        ModelFile src = ModelFile.read(model);
        TrainConfig cfg = run.apply(config(src.model()));
        if (src.model().architecture() == Architecture.FFNN_C) {
            if (ffEpochs < 0) {
                throw new IllegalArgumentException("--ff-epochs must not be negative, got " + ffEpochs);
            }
            cfg = cfg.withFfEpochs(ffEpochs);
        } else if (ffEpochs != 0) {
            throw new IllegalArgumentException("--ff-epochs is for ffnn-c models; " + model + " is "
                    + src.model().architecture());
        }
        run.check(cfg);
        TrainConfig used = cfg;
        return run.run(cfg, "fine-tuning " + model, spec.commandLine().getOut(),
                (trained, test) -> provenance(src, used, trained, test));
    }

    /**
     * The configuration that continues {@code m}: its architecture, widths, objective, θ and ffrnn
     * settings, the learning rates and batch size its provenance records (else the paper defaults),
     * starting from its weights.
     */
    static TrainConfig config(Model m) {
        Architecture a = m.architecture();
        TrainConfig c = TrainConfig.defaults(a).withWidths(m.widths()).withStart(m);
        if (a != Architecture.BPNN) {
            c = c.withObjective(m.objective()).withTheta(m.theta());
        }
        if (a == Architecture.FFRNN) {
            c = c.withBeta(m.beta()).withTrainFrames(m.trainFrames());
        }
        JsonNode p = Json.parseOrNull(m.provenance());
        if (p != null) {
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
    static String provenance(ModelFile src, TrainConfig cfg, Model trained, double testAccuracy) throws Exception {
        JsonNode n = Json.parseOrNull(src.model().provenance());
        ObjectNode root = n instanceof ObjectNode ? (ObjectNode) n : Json.MAPPER.createObjectNode();
        ArrayNode arr = root.has("finetuning") && root.get("finetuning").isArray()
                ? (ArrayNode) root.get("finetuning") : root.putArray("finetuning");
        ObjectNode e = arr.addObject();
        e.put("epochs", cfg.epochs());
        if (cfg.architecture() == Architecture.FFNN_C) {
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
        e.put("test_accuracy", testAccuracy);
        e.put("source_sha256", src.sha256());
        return Json.MAPPER.writeValueAsString(root);
    }
}
