package org.fftk.exporter;

import java.util.List;
import org.fftk.edge.model.Model;

/** FFRNN test models (empty until the FFRNN graph exists). */
final class FfrnnCases {
    private FfrnnCases() {
    }

    static List<Model> exportable() {
        return List.of();
    }
}
