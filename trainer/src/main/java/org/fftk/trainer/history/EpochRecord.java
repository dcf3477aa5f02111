package org.fftk.trainer.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One epoch: {@code trainLoss} is the mean batch loss (ffnn: sum over layers; bpnn: cross-entropy;
 * ffrnn: sum over layers of the mean loss per training frame),
 * {@code validationAccuracy} the full-model accuracy on the validation split (null when not
 * evaluated), {@code seconds} the wall time of the training pass (evaluation excluded),
 * {@code samplesPerSecond} the training examples (positive images) per second of that pass,
 * {@code outsideRunShare} the share of the pass spent outside {@code Session.run}.
 *
 * <p>{@code phase} (absent for ffnn, ffrnn and bpnn): ffnn-c trains in two phases, {@code "ff"}
 * (the FF layers; {@code trainLoss} and {@code validationAccuracy} are those of the FF layers used
 * as an ffnn, i.e. goodness over all labels) and then {@code "classifier"} (the linear classifier
 * alone on the frozen FF features; {@code trainLoss} is its cross-entropy and
 * {@code validationAccuracy} the full ffnn-c model's, argmax of the logits). Epochs are numbered
 * 1..E across both phases.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochRecord(int epoch, double trainLoss, Double validationAccuracy, List<LayerRecord> layers,
                          double seconds, double samplesPerSecond, double outsideRunShare, double evalSeconds,
                          String phase) {
    /** A record without a phase (single-phase architectures). */
    public EpochRecord(int epoch, double trainLoss, Double validationAccuracy, List<LayerRecord> layers,
                       double seconds, double samplesPerSecond, double outsideRunShare, double evalSeconds) {
        this(epoch, trainLoss, validationAccuracy, layers, seconds, samplesPerSecond, outsideRunShare, evalSeconds, null);
    }
}
