package dev.finetune4j.notebook;

import dev.finetune4j.data.DatasetStats;
import dev.finetune4j.notebook.kernel.Kernel;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XChartPanel;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Saving and showing charts: PNG or SVG files, PNG bytes for notebooks, a window from JShell when a display
 * exists, inline output in a notebook kernel. Example: {@code Charts.save(run.plot(), Path.of("loss.png"))}.
 */
public final class Charts {
    private Charts() {}

    /**
     * A dataset measure's histogram in about 20 bins (see {@link DatasetStats#bins}). Example:
     * {@code Charts.histogram(report.stats(), DatasetStats.Metric.TOKENS)}.
     */
    public static CategoryChart histogram(DatasetStats stats, DatasetStats.Metric metric) {
        return histogram(stats, metric, 20);
    }

    /** {@link #histogram(DatasetStats, DatasetStats.Metric)} in about {@code bins} bins. Example: {@code Charts.histogram(stats, Metric.TOKENS, 50)}. */
    public static CategoryChart histogram(DatasetStats stats, DatasetStats.Metric metric, int bins) {
        Table t = stats.bins(metric, bins);
        List<String> labels = t.stringColumn("bin").asList();
        CategoryChart chart = new CategoryChartBuilder().width(800).height(400).title(t.name())
                .xAxisTitle(metric == DatasetStats.Metric.MESSAGES ? "messages" : "tokens").yAxisTitle("examples").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 10 ? 45 : 0);
        chart.addSeries("examples", labels, t.longColumn("examples").asList());
        return chart;
    }

    /**
     * Writes the chart as PNG or SVG, chosen by the file extension; returns the path. The chart is drawn first and the
     * file replaced only then, so a chart that cannot be drawn leaves an existing file as it was. Example:
     * {@code Charts.save(chart, Path.of("loss.svg"))}.
     */
    public static Path save(Chart<?, ?> chart, Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new IllegalArgumentException("save a chart as .png or .svg, not " + path.getFileName());
        }
        byte[] bytes = svg ? svg(chart).getBytes(StandardCharsets.UTF_8) : png(chart);
        Path target = path.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            // beside the target, so the move is a rename; not createTempFile, whose owner-only permissions would stay
            temp = target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".part");
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart to " + path, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // only a leftover temporary file; the error that matters is already on its way
                }
            }
        }
    }

    /** Writes the chart as PNG or SVG to a path given as a string. Example: {@code Charts.save(chart, "loss.png")}. */
    public static Path save(Chart<?, ?> chart, String path) {
        return save(chart, Path.of(path));
    }

    /** The chart as PNG bytes. Example: {@code byte[] png = Charts.png(run.plot())}. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart as an SVG document. Example: {@code String svg = Charts.svg(run.plot())}. */
    public static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The chart drawn into an image. Example: {@code BufferedImage img = Charts.image(run.plot())}. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Shows the chart where the user is: inline in a notebook kernel, in a window when a display exists, else
     * saved to a temporary PNG whose path is printed. Example: {@code Charts.show(run.plot())}.
     */
    public static void show(Chart<?, ?> chart) {
        if (Kernel.current().display(chart)) return;
        if (!GraphicsEnvironment.isHeadless()) {
            SwingUtilities.invokeLater(() -> {
                JFrame frame = new JFrame(chart.getTitle() == null ? "finetune4j" : chart.getTitle());
                // closing the window must never end the JShell session
                frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
                frame.add(new XChartPanel<>(chart));
                frame.pack();
                frame.setVisible(true);
            });
            return;
        }
        try {
            Path file = Files.createTempFile("finetune4j-chart-", ".png");
            save(chart, file);
            System.out.println("no display: chart saved to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
