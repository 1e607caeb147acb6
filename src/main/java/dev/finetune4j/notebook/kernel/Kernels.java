package dev.finetune4j.notebook.kernel;

/**
 * Finds the kernel at run time. Each kernel's adapter class is touched only after that kernel's classes were
 * found, so none of them is needed on the classpath (they are {@code provided} at build time only).
 */
final class Kernels {
    static final String RAPAIO = "org.rapaio.jupyter.kernel.MainApp";
    static final String JJAVA = "org.dflib.jjava.jupyter.kernel.BaseKernel";
    static final String IJAVA = "io.github.spencerpark.ijava.IJava";

    private static volatile Kernel current;

    private Kernels() {}

    static Kernel current() {
        Kernel k = current;
        if (k == null) {
            synchronized (Kernels.class) {
                if (current == null) current = detect();
                k = current;
            }
        }
        return k;
    }

    private static Kernel detect() {
        try {
            if (present(RAPAIO) && RapaioKernel.running()) return new RapaioKernel();
            if (present(JJAVA) && JJavaKernel.running()) return new JJavaKernel();
            if (present(IJAVA) && IJavaKernel.running()) {
                IJavaKernel k = new IJavaKernel();
                k.registerRenderers();
                return k;
            }
        } catch (LinkageError | RuntimeException e) {
            // kernel API classes on the classpath without a working kernel (a test classpath), or a kernel of
            // another version than the adapters were written for: plain text rather than a failure
            return Kernel.NONE;
        }
        return Kernel.NONE;
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, Kernels.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
