package org.fftk.exporter;

import java.util.List;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/** FFRNN test models. */
final class FfrnnCases {
    private FfrnnCases() {
    }

    static List<Model> exportable() {
        return List.of(
                TestModels.ffrnn(21, 784, new int[] {7}, Objective.MAXIMIZE, 0.5f, 1.0),
                TestModels.ffrnn(22, 784, new int[] {16, 9}, Objective.MINIMIZE, 0.5f, 1.0),
                TestModels.ffrnn(23, 784, new int[] {20, 11, 13}, Objective.MAXIMIZE, 0.3f, 1.0),
                TestModels.ffrnn(24, 784, new int[] {40, 30}, Objective.MINIMIZE, 0.001f, 0.0),
                TestModels.ffrnn(25, 784, new int[] {12, 12}, Objective.MAXIMIZE, 0.5f, 1.0).toBuilder()
                        .beta(1f).testFrames(1, 1).build(),
                TestModels.ffrnn(26, 784, new int[] {12, 10}, Objective.MAXIMIZE, 0.5f, 1.0).toBuilder()
                        .beta(0.3f).testFrames(2, 12).build(),
                // FFLib's start (imported models): constant state, then a sequential pass with the full rule
                TestModels.ffrnn(27, 784, new int[] {16, 9}, Objective.MAXIMIZE, 0.5f, 1.0).toBuilder()
                        .startState(0.5f).build(),
                TestModels.ffrnn(28, 784, new int[] {11}, Objective.MINIMIZE, 0.5f, 1.0).toBuilder()
                        .startState(0.5f).testFrames(1, 4).build(),
                TestModels.ffrnn(29, 784, new int[] {20, 11, 13}, Objective.MAXIMIZE, 0.3f, 1.0).toBuilder()
                        .startState(0.25f).build());
    }
}
