package dev.finetune4j.notebook.kernel;

import java.util.Map;

/**
 * The notebook kernel this JVM runs in, if any: rapaio-jupyter-kernel, JJava or IJava, found at run time (their
 * classes are never a dependency of finetune4j), or {@link #NONE} in JShell and plain Java. Example:
 * {@code Kernel.current().display(run.plot())}.
 */
public interface Kernel {
    /** No notebook kernel: nothing is displayed inline. */
    Kernel NONE = new Kernel() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String show(Map<String, String> bundle) {
            return null;
        }

        @Override
        public void update(String displayId, Map<String, String> bundle) {}
    };

    /** The kernel of this JVM, detected once. */
    static Kernel current() {
        return Kernels.current();
    }

    /** {@code rapaio}, {@code jjava}, {@code ijava} or {@code none}. Example: {@code Kernel.current().name()}. */
    String name();

    /** True inside a notebook kernel. Example: {@code Kernel.current().active()}. */
    default boolean active() {
        return this != NONE;
    }

    /** Displays a MIME bundle as a cell output; returns its display id, or null without a kernel. Example: {@code k.show(MimeBundle.of(table))}. */
    String show(Map<String, String> bundle);

    /** Replaces the content of an output shown earlier with {@link #show}. Example: {@code k.update(id, MimeBundle.text("done", null))}. */
    void update(String displayId, Map<String, String> bundle);

    /** Displays a table, chart or {@link Renderable} inline; false when it cannot. Example: {@code Kernel.current().display(run.plot())}. */
    default boolean display(Object value) {
        Map<String, String> bundle = MimeBundle.of(value);
        return bundle != null && show(bundle) != null;
    }
}
