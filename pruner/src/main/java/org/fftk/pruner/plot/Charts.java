package org.fftk.pruner.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** fftk's line charts (XChart): one look for the sweep plot and the training-history plots, written as PNG and SVG. */
public final class Charts {
    /** Series colours, in order (matplotlib's tab10). */
    public static final Color[] PALETTE = {
        new Color(0x2ca02c), new Color(0x1f77b4), new Color(0xd62728), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {
    }

    /**
     * An empty chart in fftk's style for series named {@code legend}. A horizontal legend below the
     * plot does not wrap, so with more than four entries, or more text than fits one line below the
     * plot (about 100 characters at this font), the legend is stacked on the right of a wider chart.
     */
    public static XYChart lineChart(String title, String xTitle, String yTitle, java.util.Collection<String> legend) {
        int chars = 0;
        for (String s : legend) {
            chars += s.length() + 6;
        }
        boolean side = legend.size() > 4 || chars > 100;
        XYChart c = new XYChartBuilder().width(side ? 1300 : 1000).height(650).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler st = c.getStyler();
        st.setLegendPosition(side ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        st.setLegendLayout(side ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xdddddd));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        st.setMarkerSize(7);
        st.setToolTipsEnabled(false);
        return c;
    }

    /** Writes the chart as PNG and (unless {@code svg} is null) SVG, each atomically. */
    public static void write(XYChart c, Path png, Path svg) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, bytes);
        if (svg != null) {
            AtomicFiles.write(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(c, out,
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        }
    }
}
