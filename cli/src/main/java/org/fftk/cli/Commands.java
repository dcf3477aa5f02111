package org.fftk.cli;

import java.util.List;

/** Every subcommand of {@code fftk}, in the order {@code fftk --help} lists them. */
final class Commands {
    private Commands() {
    }

    static List<Object> all() {
        return List.of(new TrainCommand(), new FinetuneCommand(), new EvalCommand(), new PredictCommand(), new PruneCommand(), new QuantizeCommand(), new FactorCommand(), new CompressCommand(), new SweepCommand(),
                new InspectCommand(), new InfoCommand(), new PlotCommand(), new AnalyzeCommand(), new ImportCommand(), new BundleCommand(), new DataCommand());
    }
}
