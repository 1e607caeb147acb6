package dev.finetune4j.notebook.kernel;

import java.util.Map;
import java.util.UUID;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.display.DisplayData;

/** rapaio-jupyter-kernel: outputs go through the running kernel's {@code display}/{@code updateDisplay}. */
final class RapaioKernel implements Kernel {

    /**
     * True inside a running rapaio kernel. The kernel's main class is checked first: initialising
     * {@code MainApp} outside the kernel would build a whole kernel (seconds of work) just to find it unconnected.
     */
    static boolean running() {
        String command = System.getProperty("sun.java.command", "");
        if (!command.contains("rapaio-jupyter-kernel") && !command.contains(Kernels.RAPAIO)) return false;
        return MainApp.kernel != null && MainApp.kernel.channels() != null;
    }

    @Override
    public String name() {
        return "rapaio";
    }

    @Override
    public String show(Map<String, String> bundle) {
        DisplayData data = data(bundle);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        MainApp.kernel.display(data);
        return id;
    }

    @Override
    public void update(String displayId, Map<String, String> bundle) {
        DisplayData data = data(bundle);
        data.setDisplayId(displayId);
        MainApp.kernel.updateDisplay(data);
    }

    static DisplayData data(Map<String, String> bundle) {
        DisplayData data = DisplayData.withType(MimeBundle.TEXT, bundle.getOrDefault(MimeBundle.TEXT, ""));
        bundle.forEach(data::putData);
        return data;
    }
}
