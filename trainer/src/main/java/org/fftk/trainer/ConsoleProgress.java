package org.fftk.trainer;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fftk.trainer.history.EpochRecord;
import org.fftk.trainer.history.LayerRecord;

/**
 * Shows training progress: a progress bar per epoch (loss, samples/s, ETA) when a console is
 * attached, plain log lines otherwise. Epoch summaries go to {@code out} in both cases.
 */
public final class ConsoleProgress implements TrainListener {
    private final PrintStream out;
    private final boolean bar;
    private ProgressBar pb;

    public ConsoleProgress(PrintStream out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    /** A bar when {@code System.console() != null}, log lines otherwise; writes to stderr. */
    public static ConsoleProgress create() {
        return new ConsoleProgress(System.err, System.console() != null);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        if (bar) {
            pb = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                    .setUpdateIntervalMillis(500).build();
        }
    }

    @Override
    public void progress(int epoch, int step, int steps, double loss, double samplesPerSecond) {
        if (pb != null) {
            pb.stepTo(step);
            pb.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.0f samples/s", loss, samplesPerSecond));
        }
    }

    @Override
    public void epochFinished(EpochRecord r, int epochs) {
        if (pb != null) {
            pb.close();
            pb = null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d%s: loss %.4f", r.epoch(), epochs,
                r.phase() == null ? "" : " (" + r.phase() + ")", r.trainLoss()));
        if (r.validationAccuracy() != null) {
            sb.append(String.format(Locale.ROOT, ", validation accuracy %.2f%%", 100 * r.validationAccuracy()));
        }
        for (LayerRecord l : r.layers()) {
            if (l.labelAccuracy() != null) {
                sb.append(String.format(Locale.ROOT, ", layer %d %.2f%%", l.layer(), 100 * l.labelAccuracy()));
            }
        }
        sb.append(String.format(Locale.ROOT, ", %.1f s, %.0f samples/s", r.seconds(), r.samplesPerSecond()));
        out.println(sb);
    }
}
