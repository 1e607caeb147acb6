package dev.finetune4j.notebook;

import dev.finetune4j.api.JobStatus;
import dev.finetune4j.notebook.kernel.HtmlTable;
import dev.finetune4j.notebook.kernel.Kernel;
import dev.finetune4j.notebook.kernel.MimeBundle;

/** One cell output that the kernel updates in place: an HTML progress element plus the progress line. */
final class NotebookProgress implements Progress {
    private final Kernel kernel;
    private String displayId;
    private String lastLine;
    private String lastStatus;

    NotebookProgress(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void update(Snapshot s) {
        String line = s.line();
        if (line.equals(lastLine)) return;
        lastLine = line;
        lastStatus = s.status();
        String html = "<div class=\"finetune4j-progress\"><progress max=\"" + Math.max(1, s.totalSteps())
                + "\" value=\"" + s.step() + "\" style=\"width: 40%;\"></progress> <code>"
                + HtmlTable.escape(line) + "</code></div>";
        var bundle = MimeBundle.text(line, html);
        if (displayId == null) displayId = kernel.show(bundle);
        else kernel.update(displayId, bundle);
    }

    @Override
    public void note(String line) {
        kernel.show(MimeBundle.text(line, "<pre>" + HtmlTable.escape(line) + "</pre>"));
    }

    @Override
    public void close() {
        // a finished bar gives way to its last line, which a cell that assigns the run shows instead of nothing;
        // one that stopped early stays as it is, as the last word on where it got to
        if (displayId != null && (JobStatus.SUCCEEDED.equals(lastStatus) || "done".equals(lastStatus))) {
            kernel.update(displayId, MimeBundle.text(lastLine, "<code>" + HtmlTable.escape(lastLine) + "</code>"));
        }
    }
}
