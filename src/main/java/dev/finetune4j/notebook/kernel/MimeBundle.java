package dev.finetune4j.notebook.kernel;

import java.util.Base64;
import dev.finetune4j.data.ValidationReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * How finetune4j objects look in a notebook, whatever the kernel: tables as HTML, charts as PNG, runs and
 * comparisons as their own HTML, dataset validation reports as their HTML report. Every kernel adapter turns these bundles into its own display type. Example:
 * {@code MimeBundle.of(run.metrics()).get("text/html")}.
 */
public final class MimeBundle {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String PNG = "image/png";

    private MimeBundle() {}

    /** The types that have a bundle: Tablesaw tables, XChart charts, dataset reports and {@link Renderable}s. */
    public static final List<Class<?>> TYPES = List.of(Table.class, Chart.class, ValidationReport.class, Renderable.class);

    /** True for the types this bundle knows (see {@link #TYPES}). Example: {@code MimeBundle.supports(run.plot())} → true. */
    public static boolean supports(Object value) {
        return TYPES.stream().anyMatch(t -> t.isInstance(value));
    }

    /** The MIME bundle of a supported object, or null for any other. Example: {@code MimeBundle.of(run)}. */
    public static Map<String, String> of(Object value) {
        if (value instanceof Renderable r) return r.mimeBundle();
        if (value instanceof Table t) return table(t);
        if (value instanceof Chart<?, ?> c) return chart(c);
        if (value instanceof ValidationReport r) return text(r.toString(), r.toHtml());
        return null;
    }

    /** A table as {@code text/html} and {@code text/plain}. Example: {@code MimeBundle.table(run.metrics())}. */
    public static Map<String, String> table(Table t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HTML, HtmlTable.of(t));
        m.put(TEXT, t.print(HtmlTable.MAX_ROWS));
        return m;
    }

    /** A chart as a base64 {@code image/png} and a {@code text/plain} description. Example: {@code MimeBundle.chart(run.plot())}. */
    public static Map<String, String> chart(Chart<?, ?> c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(png(c)));
        m.put(TEXT, "chart: " + (c.getTitle() == null ? "" : c.getTitle()) + " (" + c.getWidth() + "x" + c.getHeight() + ")");
        return m;
    }

    /** Plain text and (optional) HTML, e.g. a progress line. Example: {@code MimeBundle.text("done", "<b>done</b>")}. */
    public static Map<String, String> text(String text, String html) {
        Map<String, String> m = new LinkedHashMap<>();
        if (html != null) m.put(HTML, html);
        m.put(TEXT, text);
        return m;
    }

    private static byte[] png(Chart<?, ?> c) {
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
