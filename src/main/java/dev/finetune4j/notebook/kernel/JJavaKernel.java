package dev.finetune4j.notebook.kernel;

import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** JJava: outputs go through the notebook kernel's display stream. */
final class JJavaKernel implements Kernel {

    static boolean running() {
        return BaseKernel.notebookKernel() != null;
    }

    @Override
    public String name() {
        return "jjava";
    }

    @Override
    public String show(Map<String, String> bundle) {
        DisplayData data = data(bundle);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        BaseKernel.notebookKernel().getIO().display.display(data);
        return id;
    }

    @Override
    public void update(String displayId, Map<String, String> bundle) {
        BaseKernel.notebookKernel().getIO().display.updateDisplay(displayId, data(bundle));
    }

    static DisplayData data(Map<String, String> bundle) {
        DisplayData data = new DisplayData();
        bundle.forEach(data::putData);
        return data;
    }
}
