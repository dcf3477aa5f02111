package org.fftk.pruner.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.report.Ensembles;
import org.fftk.pruner.report.Inspection;
import org.fftk.pruner.report.LayerInspection;
import org.fftk.pruner.report.WeightStats;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures of {@code fftk inspect --plots DIR} (docs/algorithms.md "Inspection plots"), per hidden
 * layer: the class-ensemble membership matrix and the classes' Jaccard matrix (paper 000), the
 * histogram of the neurons' positive-weight share ϱ⁺ (paper 000 Fig. 5), and the HSV
 * functional-sparsity map (paper 003 Fig. 14: hue = the class a neuron prefers, saturation = how
 * specialised it is, value = its mean activation). All PNG.
 */
public final class InspectionPlots {
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    private InspectionPlots() {
    }

    /** Writes every picture the inspection has data for; returns the files written. */
    public static List<Path> write(Model m, Inspection ins, List<String> classNames, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int l = 0; l < m.layers().size(); l++) {
            DenseLayer layer = m.layers().get(l);
            String name = "layer" + l;
            double[] share = WeightStats.positiveShares(layer.weights(), layer.out(), layer.in());
            out.add(histogram(share, name, dir.resolve(name + "-positive-share.png")));
            Ensembles e = null;
            for (LayerInspection li : ins.layers()) {
                if (li.name().equals(name)) {
                    e = li.ensembles();
                }
            }
            if (e == null) {
                continue;
            }
            out.add(png(membership(e, name, classNames), dir.resolve(name + "-ensembles.png")));
            out.add(png(jaccard(e, name, classNames), dir.resolve(name + "-jaccard.png")));
            out.add(png(hsv(e, name), dir.resolve(name + "-hsv.png")));
        }
        return out;
    }

    /** Jaccard index |E_a ∩ E_b| / |E_a ∪ E_b| from the shared counts (diagonal = sizes); NaN for an empty union. */
    static double[][] jaccard(Ensembles e) {
        int k = e.sizes().length;
        double[][] j = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                int inter = e.shared()[a][b];
                int union = e.sizes()[a] + e.sizes()[b] - inter;
                j[a][b] = union == 0 ? Double.NaN : (double) inter / union;
            }
        }
        return j;
    }

    /**
     * Per unit: {hue class, saturation, value}. Preferred class = argmax_c x̄_{j,c}; saturation = 1 −
     * H(p)/log L with p_c = x̄_{j,c} / Σ_c x̄_{j,c} (1: fires for one class only, 0: equally for all);
     * value = mean_c x̄_{j,c} over the layer's largest such mean. A unit that never fires is black.
     */
    static double[][] hsvValues(double[][] classMeans, int[] samples) {
        int classes = classMeans.length;
        int units = classMeans[0].length;
        double[][] out = new double[units][3];
        double maxMean = 0;
        for (int j = 0; j < units; j++) {
            double sum = 0;
            int best = -1;
            int used = 0;
            for (int c = 0; c < classes; c++) {
                if (samples[c] == 0) {
                    continue;
                }
                used++;
                sum += classMeans[c][j];
                if (best < 0 || classMeans[c][j] > classMeans[best][j]) {
                    best = c;
                }
            }
            double h = 0;
            for (int c = 0; c < classes && sum > 0; c++) {
                if (samples[c] > 0 && classMeans[c][j] > 0) {
                    double p = classMeans[c][j] / sum;
                    h -= p * Math.log(p);
                }
            }
            out[j][0] = Math.max(best, 0);
            out[j][1] = sum > 0 && used > 1 ? Math.max(0, 1 - h / Math.log(used)) : 0;
            out[j][2] = used == 0 ? 0 : sum / used;
            maxMean = Math.max(maxMean, out[j][2]);
        }
        for (double[] u : out) {
            u[2] = maxMean > 0 ? u[2] / maxMean : 0;
        }
        return out;
    }

    private static BufferedImage membership(Ensembles e, String layer, List<String> names) {
        boolean[][] in = e.members();
        int classes = in.length;
        int units = in[0].length;
        // units ordered by the class whose ensemble they join first, then the rest
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c <= classes; c++) {
            for (int j = 0; j < units; j++) {
                int first = -1;
                for (int k = 0; k < classes && first < 0; k++) {
                    first = in[k][j] ? k : -1;
                }
                if (first == c || (c == classes && first < 0)) {
                    order.add(j);
                }
            }
        }
        int cell = Math.max(1, Math.min(12, 1200 / units));
        int left = 110;
        int top = 40;
        int rowH = 22;
        BufferedImage img = canvas(left + units * cell + 20, top + classes * rowH + 40);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        text(g, layer + ": class ensembles (black: unit j is in E_c), " + units + " units ordered by ensemble", 10, 22, TITLE);
        for (int c = 0; c < classes; c++) {
            g.setColor(Color.BLACK);
            text(g, label(names, c) + " (" + e.sizes()[c] + ")", 8, top + c * rowH + 15, FONT);
            for (int x = 0; x < units; x++) {
                g.setColor(in[c][order.get(x)] ? Color.BLACK : new Color(0xeeeeee));
                g.fillRect(left + x * cell, top + c * rowH + 2, cell, rowH - 4);
            }
        }
        g.dispose();
        return img;
    }

    private static BufferedImage jaccard(Ensembles e, String layer, List<String> names) {
        double[][] j = jaccard(e);
        int k = j.length;
        int cell = 54;
        int left = 110;
        int top = 60;
        BufferedImage img = canvas(left + k * cell + 20, top + k * cell + 20);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        text(g, layer + ": Jaccard index of the class ensembles", 10, 22, TITLE);
        for (int a = 0; a < k; a++) {
            g.setColor(Color.BLACK);
            text(g, label(names, a), 8, top + a * cell + cell / 2 + 5, FONT);
            text(g, String.valueOf(a), left + a * cell + cell / 2 - 4, top - 8, FONT);
            for (int b = 0; b < k; b++) {
                double v = j[a][b];
                int shade = Double.isNaN(v) ? 255 : (int) Math.round(255 * (1 - v));
                g.setColor(Double.isNaN(v) ? new Color(0xf4f4f4) : new Color(shade, shade, 255));
                g.fillRect(left + b * cell, top + a * cell, cell - 1, cell - 1);
                g.setColor(shade < 110 ? Color.WHITE : Color.BLACK);
                text(g, Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v), left + b * cell + 10,
                        top + a * cell + cell / 2 + 5, FONT);
            }
        }
        g.dispose();
        return img;
    }

    private static BufferedImage hsv(Ensembles e, String layer) {
        double[][] v = hsvValues(e.classMeans(), e.samples());
        int units = v.length;
        int cols = (int) Math.ceil(Math.sqrt(units * 1.6));
        int rows = (units + cols - 1) / cols;
        int cell = Math.max(4, Math.min(24, 900 / cols));
        int top = 40;
        int legend = 36;
        BufferedImage img = canvas(Math.max(20 + cols * cell, 820), top + rows * cell + legend + 20);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        text(g, layer + ": hue = preferred class, saturation = specialisation, value = mean activation", 10, 22, TITLE);
        int classes = e.samples().length;
        for (int j = 0; j < units; j++) {
            g.setColor(Color.getHSBColor((float) (v[j][0] / classes), (float) v[j][1], (float) v[j][2]));
            g.fillRect(10 + (j % cols) * cell, top + (j / cols) * cell, cell, cell);
        }
        int y = top + rows * cell + 12;
        for (int c = 0; c < classes; c++) {
            g.setColor(Color.getHSBColor((float) c / classes, 1f, 1f));
            g.fillRect(10 + c * 60, y, 18, 18);
            g.setColor(Color.BLACK);
            text(g, String.valueOf(c), 32 + c * 60, y + 14, FONT);
        }
        g.dispose();
        return img;
    }

    private static Path histogram(double[] share, String layer, Path file) throws IOException {
        int bins = 20;
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = (b + 0.5) / bins;
        }
        for (double v : share) {
            y[Math.min(bins - 1, (int) (v * bins))]++;
        }
        String name = "neurons (of " + share.length + ")";
        XYChart c = Charts.lineChart(layer + ": share of positive incoming weights per neuron (ϱ⁺)",
                "ϱ⁺ = fraction of a neuron's weights that are > 0", "neurons", List.of(name));
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Charts.PALETTE[1]);
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(1.0);
        Charts.write(c, file, null);
        return file;
    }

    private static String label(List<String> names, int c) {
        if (names == null || c >= names.size() || names.get(c).equals(String.valueOf(c))) {
            return "class " + c;
        }
        return c + " " + names.get(c);
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** Draws {@code s} in the current colour. */
    private static void text(Graphics2D g, String s, int x, int y, Font f) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(f);
        g.drawString(s, x, y);
    }

    private static Path png(BufferedImage img, Path file) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        AtomicFiles.write(file, b.toByteArray());
        return file;
    }
}
