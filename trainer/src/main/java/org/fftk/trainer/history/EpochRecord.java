package org.fftk.trainer.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One epoch: {@code trainLoss} is the mean batch loss (ffnn: sum over layers; bpnn: cross-entropy),
 * {@code validationAccuracy} the full-model accuracy on the validation split (null when not
 * evaluated), {@code seconds} the wall time of the training pass (evaluation excluded),
 * {@code samplesPerSecond} the training examples (positive images) per second of that pass,
 * {@code outsideRunShare} the share of the pass spent outside {@code Session.run}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochRecord(int epoch, double trainLoss, Double validationAccuracy, List<LayerRecord> layers,
                          double seconds, double samplesPerSecond, double outsideRunShare, double evalSeconds) {
}
