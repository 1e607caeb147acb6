package dev.finetune4j.notebook.kernel;

import java.util.Map;

/**
 * An object that knows how to show itself in a notebook: its MIME bundle (MIME type to data, e.g.
 * {@code text/html}, {@code text/plain}; images as base64). Runs and comparisons implement it, and the kernel
 * renderers use it when such an object is a cell's result.
 */
public interface Renderable {
    /** MIME type to data; always includes {@code text/plain}. Example: {@code run.mimeBundle().get("text/html")}. */
    Map<String, String> mimeBundle();
}
