package dev.finetune4j.notebook.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import dev.finetune4j.data.ValidationReport;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * The JJava kernel extension, found through {@code META-INF/services} when the finetune4j jar is added
 * ({@code %jars} / {@code %maven}): registers renderers so tables show as HTML, charts as PNG, and runs and
 * comparisons as their own HTML when they are a cell's result.
 */
public final class JJavaExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        register(kernel.getRenderer());
    }

    /** Registers the renderers on a JJava renderer. */
    static void register(Renderer renderer) {
        register(renderer, Table.class, MIMEType.TEXT_HTML);
        register(renderer, Chart.class, MIMEType.IMAGE_PNG);
        register(renderer, ValidationReport.class, MIMEType.TEXT_HTML);
        register(renderer, Renderable.class, MIMEType.TEXT_HTML);
    }

    /** Every MIME type of the bundle is offered; {@code preferred} (and plain text) are sent by default. */
    private static void register(Renderer renderer, Class<?> type, MIMEType preferred) {
        @SuppressWarnings("unchecked")
        Class<Object> t = (Class<Object>) type;
        renderer.createRegistration(t).preferring(preferred).supporting(MIMEType.TEXT_PLAIN)
                .register((value, ctx) -> render(value, ctx));
    }

    private static void render(Object value, org.dflib.jjava.jupyter.kernel.display.RenderContext ctx) {
        java.util.Map<String, String> bundle = MimeBundle.of(value);
        bundle.forEach((mime, data) -> ctx.renderIfRequested(MIMEType.parse(mime), () -> data));
    }
}
