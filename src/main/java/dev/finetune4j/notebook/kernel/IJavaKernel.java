package dev.finetune4j.notebook.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Map;
import java.util.UUID;
import dev.finetune4j.data.ValidationReport;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * IJava: built on jupyter-jvm-basekernel, whose display and renderer API this adapter compiles against. IJava
 * itself has no extension mechanism, so the renderers are registered when the kernel is first detected (the
 * first use of the facade). Its kernel instance is reached through the one reflective call of finetune4j,
 * {@code IJava.getKernelInstance()}: the IJava jar is not published where finetune4j could compile against it.
 */
final class IJavaKernel implements Kernel {
    private final BaseKernel kernel = instance();

    static boolean running() {
        return instance() != null;
    }

    private static BaseKernel instance() {
        try {
            Class<?> ijava = Class.forName(Kernels.IJAVA, false, IJavaKernel.class.getClassLoader());
            return (BaseKernel) ijava.getMethod("getKernelInstance").invoke(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "ijava";
    }

    @Override
    public String show(Map<String, String> bundle) {
        DisplayData data = data(bundle);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel.getIO().display.display(data);
        return id;
    }

    @Override
    public void update(String displayId, Map<String, String> bundle) {
        kernel.getIO().display.updateDisplay(displayId, data(bundle));
    }

    void registerRenderers() {
        register(kernel.getRenderer());
    }

    /** Registers tables (HTML), charts (PNG) and {@link Renderable}s on an IJava renderer. */
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

    private static void render(Object value, RenderContext ctx) {
        MimeBundle.of(value).forEach((mime, data) -> ctx.renderIfRequested(MIMEType.parse(mime), () -> data));
    }

    static DisplayData data(Map<String, String> bundle) {
        DisplayData data = new DisplayData();
        bundle.forEach(data::putData);
        return data;
    }
}
