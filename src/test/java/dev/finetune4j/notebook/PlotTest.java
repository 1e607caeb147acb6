package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

class PlotTest {
    private final Table metrics = Tables.metrics(Fixtures.history(100, 50));

    @Test
    void aDatasetHistogramHasABarPerBinOfItsStats() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append("{\"messages\": [{\"role\": \"user\", \"content\": \"").append("word ".repeat(1 + i % 7))
                    .append("\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]}\n");
        }
        var stats = dev.finetune4j.data.DatasetValidator.forMethod(dev.finetune4j.data.Method.SUPERVISED)
                .validate(new java.io.ByteArrayInputStream(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).stats();
        var chart = Charts.histogram(stats, dev.finetune4j.data.DatasetStats.Metric.TOKENS, 4);
        var bins = stats.bins(dev.finetune4j.data.DatasetStats.Metric.TOKENS, 4);
        var series = chart.getSeriesMap().get("examples");
        assertThat(new java.util.ArrayList<Object>(series.getXData())).containsExactlyElementsOf(bins.stringColumn("bin").asList());
        assertThat(series.getYData()).extracting(Number::longValue).containsExactlyElementsOf(bins.longColumn("examples").asList());
        assertThat(bins.longColumn("examples").sum()).isEqualTo(30);
        assertThat(chart.getTitle()).isEqualTo("tokens per example");
    }

    @Test
    void defaultPlotDrawsTheThreeLossCurvesAgainstStep() {
        XYChart chart = Plot.of(metrics).chart();
        assertThat(chart.getSeriesMap().keySet()).containsExactly("train_loss", "valid_loss", "full_valid_loss", Plot.AXIS_ANCHOR);
        XYSeries train = chart.getSeriesMap().get("train_loss");
        assertThat(train.getXData()).hasSize(100);
        assertThat(train.getXData()[0]).isEqualTo(1.0);
        assertThat(train.getYData()[1]).isEqualTo(2.5);
        // sparse curves keep only their real points (no gaps, no zeros)
        assertThat(chart.getSeriesMap().get("valid_loss").getXData()).hasSize(20);
        assertThat(chart.getSeriesMap().get("full_valid_loss").getXData()).containsExactly(50.0, 100.0);
        assertThat(chart.getXAxisTitle()).isEqualTo("step");
        assertThat(chart.getYAxisTitle()).isEqualTo("loss");
    }

    @Test
    void chosenMetricsAndUnknownOnesFailWithTheAvailableList() {
        XYChart chart = Plot.of(metrics).metrics("train_mean_token_accuracy").chart();
        assertThat(chart.getSeriesMap().keySet()).containsExactly("train_mean_token_accuracy", Plot.AXIS_ANCHOR);
        assertThatThrownBy(() -> Plot.of(metrics).metrics("train_loss", "reward").chart())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward").hasMessageContaining("valid_mean_token_accuracy");
    }

    @Test
    void smoothingIsADebiasedEmaDrawnOverTheFadedRawCurve() {
        double[] ys = {4, 2, 2, 2};
        double[] s = Plot.ema(ys, 0.5);
        assertThat(s[0]).isEqualTo(4.0); // bias correction: the first point is the first value
        assertThat(s[1]).isCloseTo((0.5 * 0.5 * 4 + 0.5 * 2) / (1 - 0.25), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Plot.ema(ys, 0)).containsExactly(ys);

        XYChart chart = Plot.of(metrics).metrics("train_loss").smooth(0.9).chart();
        assertThat(chart.getSeriesMap().keySet()).containsExactly("train_loss (raw)", "train_loss", Plot.AXIS_ANCHOR);
        assertThat(chart.getSeriesMap().get("train_loss (raw)").isShowInLegend()).isFalse();
        double[] raw = chart.getSeriesMap().get("train_loss (raw)").getYData();
        double[] smooth = chart.getSeriesMap().get("train_loss").getYData();
        assertThat(smooth[50]).isGreaterThan(raw[50]); // a falling curve: the average lags above it
        assertThatThrownBy(() -> Plot.of(metrics).smooth(1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkpointMarkersSitOnTheFirstCurveAtTheirSteps() {
        XYChart chart = Plot.of(metrics).checkpoints(List.of(50, 100)).chart();
        XYSeries marks = chart.getSeriesMap().get("checkpoint");
        assertThat(marks.getXData()).containsExactly(50.0, 100.0);
        assertThat(marks.getYData()).containsExactly(5.0 / 50, 5.0 / 100);
        assertThat(marks.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    @Test
    void theXAxisGetsRoundTicksAndCanBeEpochs() {
        XYChart chart = Plot.of(metrics).chart();
        XYSeries anchor = chart.getSeriesMap().get(Plot.AXIS_ANCHOR);
        assertThat(anchor.isShowInLegend()).isFalse();
        assertThat(anchor.getXData()).containsExactly(1.5);
        assertThat(chart.getStyler().getXAxisMin()).isEqualTo(0.0);
        Table withEpochs = metrics.copy();
        withEpochs.addColumns(tech.tablesaw.api.DoubleColumn.create("epoch",
                withEpochs.intColumn("step").asList().stream().mapToDouble(s -> s / 10.0)));
        XYChart byEpoch = Plot.of(withEpochs).x("epoch").checkpoints(List.of(50)).chart();
        assertThat(byEpoch.getSeriesMap().get("train_loss").getXData()[9]).isEqualTo(1.0);
        assertThat(byEpoch.getSeriesMap().get("checkpoint").getXData()).containsExactly(5.0);
        assertThat(byEpoch.getXAxisTitle()).isEqualTo("epoch");
        assertThatThrownBy(() -> Plot.of(metrics).x("epoch").chart()).hasMessageContaining("no 'epoch' column");
    }

    @Test
    void theLegendTakesTheCornerTheCurvesLeaveEmpty() {
        IntColumn step = IntColumn.create("step");
        DoubleColumn falling = DoubleColumn.create("train_loss");
        DoubleColumn rising = DoubleColumn.create("train_mean_token_accuracy");
        for (int i = 1; i <= 100; i++) {
            step.append(i);
            falling.append(5.0 / i);
            rising.append(1 - 1.0 / i);
        }
        Table t = Table.create("m", step, falling, rising);
        assertThat(Plot.of(t).metrics("train_loss").chart().getStyler().getLegendPosition())
                .isEqualTo(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        // a rising curve fills the top right: the legend goes where it is not
        assertThat(Plot.of(t).metrics("train_mean_token_accuracy").chart().getStyler().getLegendPosition())
                .isNotEqualTo(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    }

    @Test
    void aLogScaleInsideOneDecadeStillLabelsItsYAxis(@TempDir Path dir) throws Exception {
        IntColumn step = IntColumn.create("step");
        DoubleColumn loss = DoubleColumn.create("valid_loss");
        for (int i = 1; i <= 10; i++) {
            step.append(i);
            loss.append(5.6 - 0.31 * (i - 1)); // 5.6 down to 2.81: no power of ten in range
        }
        Table t = Table.create("m", step, loss);
        Path linear = Charts.save(Plot.of(t).metrics("valid_loss").chart(), dir.resolve("linear.svg"));
        Path log = Charts.save(Plot.of(t).metrics("valid_loss").logScale().chart(), dir.resolve("log.svg"));
        assertThat(yTickLabels(Files.readString(linear))).as("the linear axis, for reference").isGreaterThanOrEqualTo(3);
        assertThat(yTickLabels(Files.readString(log))).isGreaterThanOrEqualTo(2);

        // a curve over several decades keeps the powers of ten only, which do not overlap
        DoubleColumn wide = DoubleColumn.create("train_loss");
        for (int i = 1; i <= 10; i++) wide.append(5.0 / Math.pow(4, i - 1));
        XYChart decades = Plot.of(Table.create("w", step.copy(), wide)).metrics("train_loss").logScale().chart();
        assertThat(decades.getStyler().isYAxisLogarithmicDecadeOnly()).isTrue();
        assertThat(yTickLabels(Charts.svg(decades))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLogScaleOfAMetricThatReachesZeroSaysWhichAndWhere() {
        IntColumn step = IntColumn.create("step", new int[] {1, 2, 3});
        Table t = Table.create("ftjob-abc metrics", step, DoubleColumn.create("train_mean_token_accuracy", new double[] {0, 0.4, 0.7}),
                DoubleColumn.create("train_loss", new double[] {3, 2, 1}));
        assertThatThrownBy(() -> Plot.of(t).metrics("train_mean_token_accuracy").logScale().chart())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a log scale needs values above 0, and train_mean_token_accuracy of ftjob-abc metrics is 0 at step 1:"
                        + " plot it without logScale(), or a metric that stays positive (a loss)");
        assertThatThrownBy(() -> Plot.overlay().add("lr=2", t).metrics("train_mean_token_accuracy").logScale().chart())
                .hasMessageContaining("train_mean_token_accuracy of lr=2 is 0 at step 1");
        assertThat(Plot.of(t).metrics("train_loss").logScale().chart().getSeriesMap()).containsKey("train_loss");
        assertThat(Plot.of(t).metrics("train_mean_token_accuracy").chart().getSeriesMap()).containsKey("train_mean_token_accuracy");
    }

    /**
     * The y tick labels of a chart's SVG: the text is drawn as glyph groups placed by {@code translate(x y)}; those
     * left of the plot and above the x labels are the y axis title (leftmost) and the tick labels.
     */
    private static int yTickLabels(String svg) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<g transform=\"translate\\(([-\\d.]+) ([-\\d.]+)\\)\">").matcher(svg);
        List<Double> xs = new java.util.ArrayList<>();
        while (m.find()) {
            double x = Double.parseDouble(m.group(1)), y = Double.parseDouble(m.group(2));
            if (x < 120 && y < Plot.HEIGHT - 15) xs.add(x);
        }
        double title = xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return (int) xs.stream().filter(x -> x > title).count();
    }

    @Test
    void overlayNamesSeriesByRun() {
        Table other = Tables.metrics(Fixtures.history(40, 20));
        XYChart chart = Plot.overlay().add("lr=0.5", metrics).add("lr=2", other).metrics("train_loss").chart();
        assertThat(chart.getSeriesMap().keySet()).containsExactly("lr=0.5", "lr=2", Plot.AXIS_ANCHOR);
        assertThat(chart.getSeriesMap().get("lr=2").getXData()).hasSize(40);
    }

    @Test
    void anEmptyMetricsTableStillDraws() {
        Table empty = Tables.metrics(List.of());
        XYChart chart = Plot.of(empty).chart();
        assertThat(chart.getTitle()).isEqualTo("no metrics yet");
        assertThat(Charts.png(chart)).isNotEmpty();
    }

    @Test
    void chartsSaveAsPngOfTheChartSizeAndAsSvg(@TempDir Path dir) throws Exception {
        XYChart chart = Plot.of(metrics).size(640, 400).checkpoints(List.of(50)).chart();
        Path png = Charts.save(chart, dir.resolve("sub/loss.png"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        BufferedImage fromBytes = ImageIO.read(new ByteArrayInputStream(Charts.png(chart)));
        assertThat(fromBytes.getWidth()).isEqualTo(640);

        Path svg = Charts.save(chart, dir.resolve("loss.svg").toString());
        String text = Files.readString(svg);
        assertThat(text).contains("<svg").contains("width=\"640\"").contains("<path");
        assertThatThrownBy(() -> Charts.save(chart, dir.resolve("loss.gif")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".png or .svg");
    }

    @Test
    void aSaveThatFailsLeavesTheFileAsItWas(@TempDir Path dir) throws Exception {
        XYChart chart = Plot.of(metrics).chart();
        assertThatThrownBy(() -> Charts.save(chart, dir.resolve("loss.jpg"))).hasMessageContaining(".png or .svg");
        assertThat(dir.resolve("loss.jpg")).doesNotExist();

        Path good = Charts.save(chart, dir.resolve("good.png"));
        byte[] before = Files.readAllBytes(good);
        // a chart XChart cannot draw: a zero on a logarithmic axis
        XYChart broken = new org.knowm.xchart.XYChartBuilder().build();
        broken.addSeries("zero", new double[] {1, 2}, new double[] {0, 1});
        broken.getStyler().setYAxisLogarithmic(true);
        assertThatThrownBy(() -> Charts.save(broken, good)).isNotNull();
        assertThat(Files.readAllBytes(good)).isEqualTo(before);
        assertThatThrownBy(() -> Charts.save(broken, dir.resolve("new.svg"))).isNotNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("good.png");
        }
    }
}
