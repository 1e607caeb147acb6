package dev.finetune4j.notebook.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
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
        renderer.createRegistration(Table.class).preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((t, ctx) -> render(t, ctx));
        renderer.createRegistration(Chart.class).preferring(MIMEType.IMAGE_PNG).supporting(MIMEType.TEXT_PLAIN)
                .register((c, ctx) -> render(c, ctx));
        renderer.createRegistration(Renderable.class).preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((r, ctx) -> render(r, ctx));
    }

    private static void render(Object value, org.dflib.jjava.jupyter.kernel.display.RenderContext ctx) {
        java.util.Map<String, String> bundle = MimeBundle.of(value);
        bundle.forEach((mime, data) -> ctx.renderIfRequested(MIMEType.parse(mime), () -> data));
    }
}
