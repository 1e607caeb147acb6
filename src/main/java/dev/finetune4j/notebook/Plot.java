package dev.finetune4j.notebook;

import dev.finetune4j.notebook.kernel.HtmlTable;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * Builds an XChart {@link XYChart} of metric curves against step, from one run's metrics table or overlaid from
 * several. {@code run.plot()} and {@code comparison.plot(metric)} are shortcuts for it. Example:
 * {@code Plot.of(run.metrics()).metrics("train_loss", "valid_loss").smooth(0.8).checkpoints(List.of(3, 6)).chart()}.
 *
 * <p>Smoothing is an exponential moving average with TensorBoard's bias correction: with weight {@code w} in
 * [0, 1), {@code s_t = w * s_(t-1) + (1 - w) * x_t}, divided by {@code 1 - w^t} so the first points are not
 * pulled toward zero. {@code w = 0} draws the raw values; the raw curve stays visible, faded, behind a smoothed
 * one.
 */
public final class Plot {
    /** Default size of a chart in pixels, used by notebooks' inline images too. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    private final Map<String, Table> runs = new LinkedHashMap<>();
    private final Map<String, List<Integer>> checkpoints = new LinkedHashMap<>();
    private List<String> metrics = Metrics.LOSSES;
    private boolean metricsGiven;
    private double smoothing;
    private String title;
    private String x = Metrics.STEP;
    private boolean logScale;
    private int width = WIDTH;
    private int height = HEIGHT;

    private Plot() {}

    /** A plot of one run's metrics table ({@code run.metrics()}). Example: {@code Plot.of(run.metrics())}. */
    public static Plot of(Table metrics) {
        return new Plot().add("", metrics);
    }

    /** An empty plot to overlay runs on with {@link #add}. Example: {@code Plot.overlay().add("lr=1", t1)}. */
    public static Plot overlay() {
        return new Plot();
    }

    /** Adds a run's metrics table under a label (series are named "label" or "label metric"). Example: {@code .add("lr=2", run.metrics())}. */
    public Plot add(String label, Table metrics) {
        if (!metrics.columnNames().contains(Metrics.STEP)) {
            throw new IllegalArgumentException("a metrics table needs a 'step' column; got " + metrics.columnNames());
        }
        runs.put(label, metrics);
        return this;
    }

    /**
     * The metrics to draw, e.g. {@code "train_loss", "valid_mean_token_accuracy"}; default: the three losses, or the
     * three rewards for runs that have no loss (reinforcement).
     */
    public Plot metrics(String... names) {
        if (names.length > 0) {
            metrics = List.of(names);
            metricsGiven = true;
        }
        return this;
    }

    /** EMA smoothing weight in [0, 1); 0 (default) draws raw values. Example: {@code .smooth(0.9)}. */
    public Plot smooth(double weight) {
        if (!(weight >= 0 && weight < 1)) throw new IllegalArgumentException("smoothing weight must be in [0, 1): " + weight);
        smoothing = weight;
        return this;
    }

    /** Marks checkpoint steps of the (first) run on its first drawn curve. Example: {@code .checkpoints(List.of(10, 20))}. */
    public Plot checkpoints(List<Integer> steps) {
        return checkpoints(runs.isEmpty() ? "" : runs.keySet().iterator().next(), steps);
    }

    /** Marks checkpoint steps of the run added under {@code label}. Example: {@code .checkpoints("lr=2", List.of(3, 6))}. */
    public Plot checkpoints(String label, List<Integer> steps) {
        checkpoints.put(label, List.copyOf(steps));
        return this;
    }

    /**
     * The column on the x axis: {@code "step"} (default) or {@code "epoch"}, which lines up runs of different batch
     * sizes. Example: {@code Plot.of(run.metrics()).x("epoch").chart()}.
     */
    public Plot x(String column) {
        this.x = java.util.Objects.requireNonNull(column, "column");
        return this;
    }

    /**
     * A logarithmic y axis, for positive metrics such as losses that fall by orders of magnitude; {@link #chart()}
     * refuses a curve that reaches 0 (accuracy at the first step). Example: {@code .logScale()}.
     */
    public Plot logScale() {
        this.logScale = true;
        return this;
    }

    /** The chart title (default: the metrics drawn). Example: {@code .title("nano, lr 0.5")}. */
    public Plot title(String title) {
        this.title = title;
        return this;
    }

    /** The chart size in pixels (default 800 x 500). Example: {@code .size(1200, 600)}. */
    public Plot size(int width, int height) {
        if (width < 50 || height < 50) throw new IllegalArgumentException("chart too small: " + width + "x" + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /** Draws the chart: one line per metric (and run), step on x. Example: {@code Plot.of(run.metrics()).chart()}. */
    public XYChart chart() {
        List<String> drawn = present(metrics);
        if (drawn.isEmpty() && !metricsGiven) drawn = present(Metrics.REWARDS);
        if (metricsGiven && drawn.size() < metrics.size()) {
            List<String> missing = new ArrayList<>(metrics);
            missing.removeAll(drawn);
            List<String> available = new ArrayList<>();
            runs.values().forEach(t -> t.columnNames().stream()
                    .filter(c -> !c.equals(Metrics.STEP) && !c.equals(Metrics.EPOCH) && !available.contains(c)).forEach(available::add));
            throw new IllegalArgumentException("no metric " + missing + " in the metrics; available: " + available);
        }
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title != null ? title : drawn.isEmpty() ? "no metrics yet" : String.join(", ", drawn))
                .xAxisTitle(x).yAxisTitle(yTitle(drawn)).build();
        for (Map.Entry<String, Table> run : runs.entrySet()) {
            if (!run.getValue().columnNames().contains(x)) {
                throw new IllegalArgumentException("no '" + x + "' column in the metrics" + (run.getKey().isEmpty() ? "" : " of " + run.getKey())
                        + (x.equals(Metrics.EPOCH) ? " (the job has not said its number of epochs yet)" : ""));
            }
        }
        // long labels (a comparison's differing settings) would cover the curves or run off the chart inside it
        boolean longLabels = runs.keySet().stream().anyMatch(l -> l.length() > 28);
        chart.getStyler().setLegendPosition(longLabels ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmic(logScale);
        // the axis from 0 gives round ticks (the first step or epoch is 1 or a fraction), printed without the
        // float noise of fractions of an epoch
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern(x.equals(Metrics.STEP) ? "#,##0" : "#,##0.##");
        chart.getStyler().setMarkerSize(6);
        Color[] palette = chart.getStyler().getSeriesColors();
        int colour = 0;
        for (Map.Entry<String, Table> run : runs.entrySet()) {
            double[][] firstCurve = null;
            Color firstColour = null;
            for (String m : drawn) {
                if (!run.getValue().columnNames().contains(m)) continue;
                Color c = palette[colour++ % palette.length];
                double[][] xy = points(run.getValue(), x, m);
                if (xy[0].length == 0) continue;
                if (logScale) requirePositive(xy, m, run.getKey().isEmpty() ? run.getValue().name() : run.getKey());
                String name = seriesName(run.getKey(), m);
                if (smoothing > 0) {
                    XYSeries raw = chart.addSeries(name + " (raw)", xy[0], xy[1]);
                    style(raw, fade(c), xy[0].length);
                    raw.setShowInLegend(false);
                    style(chart.addSeries(name, xy[0], ema(xy[1], smoothing)), c, xy[0].length);
                } else {
                    style(chart.addSeries(name, xy[0], xy[1]), c, xy[0].length);
                }
                if (firstCurve == null) {
                    firstCurve = smoothing > 0 ? new double[][] {xy[0], ema(xy[1], smoothing)} : xy;
                    firstColour = c;
                }
            }
            if (firstCurve != null) addCheckpointMarkers(chart, run.getKey(), run.getValue(), firstCurve, firstColour);
        }
        if (logScale) labelLogAxis(chart);
        anchorAxis(chart);
        if (chart.getStyler().getLegendPosition() != Styler.LegendPosition.OutsideS) {
            chart.getStyler().setLegendPosition(emptiestCorner(chart));
        }
        return chart;
    }

    /**
     * A log axis cannot show 0 or less, and XChart would only say so when the chart is drawn, in its own words;
     * accuracy is often 0 at the first step. The points are not dropped: the curve would start somewhere else
     * without a word.
     */
    private void requirePositive(double[][] xy, String metric, String run) {
        for (int i = 0; i < xy[1].length; i++) {
            if (!(xy[1][i] > 0)) {
                throw new IllegalArgumentException("a log scale needs values above 0, and " + metric
                        + (run == null || run.isEmpty() ? "" : " of " + run) + " is " + HtmlTable.number(xy[1][i])
                        + " at " + x + " " + HtmlTable.number(xy[0][i])
                        + ": plot it without logScale(), or a metric that stays positive (a loss)");
            }
        }
    }

    /**
     * XChart labels only the powers of ten of a log axis, and a loss curve often stays inside one decade (5.6 down to
     * 2.5), which would leave the axis without a number: below two decades every tick (2, 3, 4, ...) is labelled;
     * wider curves keep the decades, which are then at least two and whose in-between labels would overlap.
     */
    private static void labelLogAxis(XYChart chart) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double y : series.getYData()) {
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
        }
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(max / min < 100));
    }

    /**
     * The inside corner with the fewest points of the curves near it, for the legend: a rising validation loss ends
     * top right, a reward curve starts bottom left, and a fixed corner would cover what the chart is about.
     */
    static Styler.LegendPosition emptiestCorner(XYChart chart) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (int i = 0; i < series.getXData().length; i++) {
                minX = Math.min(minX, series.getXData()[i]);
                maxX = Math.max(maxX, series.getXData()[i]);
                minY = Math.min(minY, series.getYData()[i]);
                maxY = Math.max(maxY, series.getYData()[i]);
            }
        }
        Styler.LegendPosition[] corners = {Styler.LegendPosition.InsideNE, Styler.LegendPosition.InsideNW,
            Styler.LegendPosition.InsideSE, Styler.LegendPosition.InsideSW};
        if (!(maxX > minX) || !(maxY > minY)) return corners[0];
        int[] counts = new int[4];
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (int i = 0; i < series.getXData().length; i++) {
                double fx = (series.getXData()[i] - minX) / (maxX - minX);
                double fy = (series.getYData()[i] - minY) / (maxY - minY);
                boolean right = fx > 0.7, left = fx < 0.3, top = fy > 0.65, bottom = fy < 0.35;
                if (top && right) counts[0]++;
                if (top && left) counts[1]++;
                if (bottom && right) counts[2]++;
                if (bottom && left) counts[3]++;
            }
        }
        int best = 0;
        for (int c = 1; c < 4; c++) if (counts[c] < counts[best]) best = c;
        return corners[best];
    }

    /** The name of the hidden point that gives the x axis round ticks (see {@link #anchorAxis}). */
    public static final String AXIS_ANCHOR = "(axis)";

    /**
     * XChart puts the x ticks of equally spaced data (steps 1, 2, 3, ...) at data values it strides over, which gives
     * ticks such as 1, 14, 27 or 0.0192, 0.827; a hidden point halfway between the first two x values breaks the
     * even spacing, and the axis then gets round ticks from its range.
     */
    private static void anchorAxis(XYChart chart) {
        XYSeries first = chart.getSeriesMap().values().stream().filter(s -> s.getXData().length > 1).findFirst().orElse(null);
        if (first == null) return;
        double[] xs = first.getXData();
        XYSeries anchor = chart.addSeries(AXIS_ANCHOR, new double[] {(xs[0] + xs[1]) / 2}, new double[] {first.getYData()[0]});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private List<String> present(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String m : names) {
            if (runs.values().stream().anyMatch(t -> t.columnNames().contains(m))) out.add(m);
        }
        return out;
    }

    /** TensorBoard's debiased exponential moving average with weight {@code w} in [0, 1). Example: {@code Plot.ema(new double[] {4, 2, 2}, 0.5)}. */
    public static double[] ema(double[] ys, double w) {
        double[] out = new double[ys.length];
        double last = 0;
        for (int i = 0; i < ys.length; i++) {
            last = w * last + (1 - w) * ys[i];
            out[i] = last / (1 - Math.pow(w, i + 1));
        }
        return out;
    }

    private void addCheckpointMarkers(XYChart chart, String label, Table metrics, double[][] xy, Color c) {
        List<Integer> steps = checkpoints.get(label);
        if (steps == null || steps.isEmpty()) return;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int step : steps) {
            Double at = xAt(metrics, step);
            if (at == null) continue;
            // the curve's value at the checkpoint: the last point at or before it
            int i = Arrays.binarySearch(xy[0], at);
            if (i < 0) i = -i - 2;
            if (i < 0) continue;
            xs.add(at);
            ys.add(xy[1][i]);
        }
        if (xs.isEmpty()) return;
        String name = label.isEmpty() ? "checkpoint" : label + " checkpoint";
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(runs.size() == 1 ? Color.BLACK : c.darker());
        // a faint vertical line through each checkpoint, so every curve can be read at that step
        chart.getStyler().setAnnotationLineColor(new Color(0, 0, 0, 60));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {4f, 4f}, 0f));
        for (double x : xs) chart.addAnnotation(new AnnotationLine(x, true, false));
    }

    private static void style(XYSeries s, Color c, int points) {
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setLineStyle(new BasicStroke(1.5f));
        // sparse curves (validation at epoch ends) need their points visible
        s.setMarker(points <= 25 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static Color fade(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 70);
    }

    private String seriesName(String label, String metric) {
        if (label.isEmpty()) return metric;
        return metrics.size() == 1 ? label : label + " " + metric;
    }

    private static String yTitle(List<String> drawn) {
        if (drawn.size() == 1) return drawn.get(0);
        if (!drawn.isEmpty() && drawn.stream().allMatch(m -> m.endsWith("loss"))) return "loss";
        if (!drawn.isEmpty() && drawn.stream().allMatch(m -> m.contains("accuracy"))) return "accuracy";
        if (!drawn.isEmpty() && drawn.stream().allMatch(m -> m.contains("reward"))) return "reward";
        return "value";
    }

    /** Where a step lies on the x axis: the step itself, or the x value of the last row at or before it. */
    private Double xAt(Table metrics, int step) {
        if (x.equals(Metrics.STEP)) return (double) step;
        NumericColumn<?> steps = metrics.numberColumn(Metrics.STEP);
        NumericColumn<?> xs = metrics.numberColumn(x);
        Double at = null;
        for (int r = 0; r < metrics.rowCount(); r++) {
            if (!steps.isMissing(r) && !xs.isMissing(r) && steps.getDouble(r) <= step) at = xs.getDouble(r);
        }
        return at;
    }

    /** The (step, value) pairs of a metric where it is present, ordered by step. */
    static double[][] points(Table t, String metric) {
        return points(t, Metrics.STEP, metric);
    }

    /** The (x, value) pairs of a metric where both are present, ordered by x. */
    static double[][] points(Table t, String xColumn, String metric) {
        NumericColumn<?> step = t.numberColumn(xColumn);
        NumericColumn<?> values = t.numberColumn(metric);
        List<double[]> pts = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            if (values.isMissing(r) || step.isMissing(r)) continue;
            pts.add(new double[] {step.getDouble(r), values.getDouble(r)});
        }
        pts.sort((a, b) -> Double.compare(a[0], b[0]));
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }
}
