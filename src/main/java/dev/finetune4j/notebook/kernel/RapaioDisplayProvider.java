package dev.finetune4j.notebook.kernel;

import java.util.List;
import java.util.Map;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;

/**
 * Renderers for rapaio-jupyter-kernel, found through {@code META-INF/services}: Tablesaw tables as HTML, XChart
 * charts as PNG, runs and comparisons as their own HTML, when they are a cell's result or passed to
 * {@code display(...)}.
 */
public final class RapaioDisplayProvider implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return MimeBundle.TYPES.stream().<DisplayRenderer>map(Renderer::new).toList();
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    private record Renderer(Class<?> type) implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return type;
        }

        @Override
        public boolean canRender(String mime) {
            // null or empty: the kernel's default; otherwise one of the types the bundle holds
            return mime == null || mime.isBlank() || mime.equals(MimeBundle.TEXT) || mime.equals(MimeBundle.HTML)
                    || mime.equals(MimeBundle.PNG) || mime.equals("html") || mime.equals("text") || mime.equals("png");
        }

        @Override
        public DisplayData render(String mime, Object value) {
            Map<String, String> bundle = MimeBundle.of(value);
            return RapaioKernel.data(bundle);
        }
    }
}
