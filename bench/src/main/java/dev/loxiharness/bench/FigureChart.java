package dev.loxiharness.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * One figure's chart, drawn by JFreeChart into JFreeSVG's {@code Graphics2D} and returned as an
 * {@code <svg>} element to inline in the page: the figure and its baseline from the same run, per
 * run, earlier runs to the left, this run last on a band (red when the figure got worse). When the
 * baseline is more than {@value #OWN_AXIS_FACTOR} times larger or smaller than the figure, it gets
 * an axis of its own on the right, so that the figure's own changes stay visible. No text is
 * rotated: rotated text becomes glyph outlines in SVG, several kilobytes each.
 */
final class FigureChart {
    static final int WIDTH = 560;
    static final int HEIGHT = 240;
    static final double OWN_AXIS_FACTOR = 5;
    static final Color VALUE = new Color(0x1f, 0x5f, 0xbf);
    static final Color BASELINE = new Color(0x80, 0x80, 0x80);
    static final Color THIS_RUN = new Color(0xe8, 0xf0, 0xfc);
    static final Color WORSE = new Color(0xf8, 0xc8, 0xc8);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private FigureChart() {
    }

    /** The chart as an SVG element; {@code id} keeps its clip paths apart from the other charts' in the page. */
    static String svg(String id, Trend trend) {
        Figure f = trend.figure();
        String unit = unitName(f.unit());
        DefaultCategoryDataset values = new DefaultCategoryDataset();
        DefaultCategoryDataset baselines = new DefaultCategoryDataset();
        String baselineSeries = "baseline, same run: " + Objects.requireNonNullElse(f.baselineLabel(), "") + " (" + unit + ")";
        for (Trend.Point p : trend.points()) {
            values.addValue(p.value(), "this figure (" + unit + ")", p.run());
            baselines.addValue(p.baseline(), baselineSeries, p.run());
        }

        CategoryAxis runs = new CategoryAxis(null);
        runs.setTickLabelFont(SMALL);
        runs.setMaximumCategoryLabelLines(2);
        NumberAxis valueAxis = axis();
        if (trend.points().stream().map(Trend.Point::value).filter(Objects::nonNull).allMatch(v -> v == 0)) {
            valueAxis.setAutoRangeMinimumSize(1); // all zero: 0 at the bottom, not a range of 1e-8 around it
        }
        CategoryPlot plot = new CategoryPlot(values, runs, valueAxis, renderer(VALUE, new BasicStroke(2f)));
        if (trend.hasBaseline()) {
            plot.setDataset(1, baselines);
            plot.setRenderer(1, renderer(BASELINE, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f)));
            if (apart(trend)) {
                NumberAxis own = axis();
                own.setTickLabelPaint(BASELINE);
                plot.setRangeAxis(1, own);
                plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
                plot.mapDatasetToRangeAxis(1, 1);
            }
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        String current = trend.points().get(trend.points().size() - 1).run();
        CategoryMarker thisRun = new CategoryMarker(current, trend.worse() ? WORSE : THIS_RUN, new BasicStroke(1f));
        thisRun.setDrawAsLine(false);
        plot.addDomainMarker(thisRun, Layer.BACKGROUND);

        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        legend.setFrame(BlockBorder.NONE);

        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement(id);
    }

    /** Whether the baseline's scale is so far from the figure's that on one axis the figure would lie flat. */
    static boolean apart(Trend trend) {
        double value = trend.points().stream().map(Trend.Point::value).filter(Objects::nonNull)
                .mapToDouble(Math::abs).max().orElse(0);
        double baseline = trend.points().stream().map(Trend.Point::baseline).filter(Objects::nonNull)
                .mapToDouble(Math::abs).max().orElse(0);
        if (value == 0 || baseline == 0) {
            return false;
        }
        double factor = Math.max(value, baseline) / Math.min(value, baseline);
        return factor > OWN_AXIS_FACTOR;
    }

    private static NumberAxis axis() {
        NumberAxis a = new NumberAxis(null);
        a.setAutoRangeIncludesZero(true);
        a.setTickLabelFont(SMALL);
        return a;
    }

    private static LineAndShapeRenderer renderer(Color color, BasicStroke stroke) {
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, stroke);
        r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        return r;
    }

    /** How a figure's unit is named in the legend. */
    static String unitName(String unit) {
        return switch (unit == null ? "" : unit) {
            case "s" -> "seconds";
            case "ms" -> "milliseconds";
            case "req/s" -> "requests per second";
            case "x" -> "ratio";
            case "" -> "count";
            default -> unit;
        };
    }
}
