package dev.loxiharness.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryMarker;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * One figure's chart, drawn by JFreeChart into JFreeSVG's {@code Graphics2D} and returned as an
 * {@code <svg>} element to inline in the page: the figure and its baseline from the same run, per
 * run, earlier runs to the left, this run last on a band (red when the figure got worse). When the
 * baseline is more than {@value #LOG_SCALE_FACTOR} times larger or smaller than the figure, the
 * values are on a log scale: on a linear one the smaller would lie flat on the axis (two axes would
 * hide that, each series filling its own). No text is rotated: rotated text becomes glyph outlines
 * in SVG, several kilobytes each.
 */
final class FigureChart {
    static final int WIDTH = 560;
    static final int HEIGHT = 240;
    static final double LOG_SCALE_FACTOR = 5;
    /** Room above the highest point for the value written beside it. */
    static final double LABEL_ROOM = 0.15;
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
        ValueAxis valueAxis = logScale(trend) ? logAxis() : linearAxis(trend);
        CategoryPlot plot = new CategoryPlot(values, runs, valueAxis, renderer(VALUE, new BasicStroke(2f), f.unit()));
        if (trend.hasBaseline()) {
            plot.setDataset(1, baselines);
            plot.setRenderer(1, renderer(BASELINE, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f), f.unit()));
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // the figure on top of its baseline
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

    /** Whether figure and baseline are so far apart that on a linear axis the smaller would lie flat. */
    static boolean logScale(Trend trend) {
        double value = trend.points().stream().map(Trend.Point::value).filter(Objects::nonNull)
                .mapToDouble(Math::abs).max().orElse(0);
        double baseline = trend.points().stream().map(Trend.Point::baseline).filter(Objects::nonNull)
                .mapToDouble(Math::abs).max().orElse(0);
        if (value == 0 || baseline == 0) {
            return false;
        }
        double factor = Math.max(value, baseline) / Math.min(value, baseline);
        return factor > LOG_SCALE_FACTOR;
    }

    private static NumberAxis linearAxis(Trend trend) {
        NumberAxis a = new NumberAxis(null);
        a.setAutoRangeIncludesZero(true);
        a.setTickLabelFont(SMALL);
        a.setUpperMargin(LABEL_ROOM);
        if (trend.points().stream().map(Trend.Point::value).filter(Objects::nonNull).allMatch(v -> v == 0)) {
            a.setAutoRangeMinimumSize(1); // all zero: 0 at the bottom, not a range of 1e-8 around it
        }
        return a;
    }

    private static LogAxis logAxis() {
        LogAxis a = new LogAxis(null);
        a.setBase(10);
        a.setSmallestValue(1e-9);
        a.setTickUnit(new NumberTickUnit(1)); // a tick per power of ten, not 3.1623 and 0.3162
        a.setUpperMargin(LABEL_ROOM);
        a.setTickLabelFont(SMALL);
        a.setNumberFormatOverride(new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return a;
    }

    private static LineAndShapeRenderer renderer(Color color, BasicStroke stroke, String unit) {
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, stroke);
        r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        r.setDefaultItemLabelGenerator(new ThisRunLabel(unit));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(SMALL);
        r.setDefaultItemLabelPaint(color);
        return r;
    }

    /** The value written beside this run's points (the last column) only: earlier runs' would crowd the chart. */
    private record ThisRunLabel(String unit) implements CategoryItemLabelGenerator {
        @Override
        public String generateLabel(CategoryDataset data, int row, int column) {
            Number v = data.getValue(row, column);
            return column != data.getColumnCount() - 1 || v == null ? null : Figure.format(v.doubleValue(), unit);
        }

        @Override
        public String generateRowLabel(CategoryDataset data, int row) {
            return data.getRowKey(row).toString();
        }

        @Override
        public String generateColumnLabel(CategoryDataset data, int column) {
            return data.getColumnKey(column).toString();
        }
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
