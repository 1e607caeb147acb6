package dev.finetune4j.notebook.kernel;

import java.util.Map;
import java.util.UUID;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.display.DisplayData;

/** rapaio-jupyter-kernel: outputs go through the running kernel's {@code display}/{@code updateDisplay}. */
final class RapaioKernel implements Kernel {

    static boolean running() {
        return MainApp.kernel != null;
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
