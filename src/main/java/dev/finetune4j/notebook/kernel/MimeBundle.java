package dev.finetune4j.notebook.kernel;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * How finetune4j objects look in a notebook, whatever the kernel: tables as HTML, charts as PNG, runs and
 * comparisons as their own HTML. Every kernel adapter turns these bundles into its own display type. Example:
 * {@code MimeBundle.of(run.metrics()).get("text/html")}.
 */
public final class MimeBundle {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String PNG = "image/png";

    private MimeBundle() {}

    /** True for the types this bundle knows: Tablesaw tables, XChart charts and {@link Renderable}s. */
    public static boolean supports(Object value) {
        return value instanceof Table || value instanceof Chart || value instanceof Renderable;
    }

    /** The MIME bundle of a supported object, or null for any other. */
    public static Map<String, String> of(Object value) {
        if (value instanceof Renderable r) return r.mimeBundle();
        if (value instanceof Table t) return table(t);
        if (value instanceof Chart<?, ?> c) return chart(c);
        return null;
    }

    /** A table as {@code text/html} and {@code text/plain}. */
    public static Map<String, String> table(Table t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HTML, HtmlTable.of(t));
        m.put(TEXT, t.print(HtmlTable.MAX_ROWS));
        return m;
    }

    /** A chart as a base64 {@code image/png} and a {@code text/plain} description. */
    public static Map<String, String> chart(Chart<?, ?> c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(png(c)));
        m.put(TEXT, "chart: " + (c.getTitle() == null ? "" : c.getTitle()) + " (" + c.getWidth() + "x" + c.getHeight() + ")");
        return m;
    }

    /** Plain text and HTML for a line of text, e.g. a progress line. */
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
