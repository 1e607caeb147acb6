package dev.finetune4j.notebook.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.notebook.Plot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The renderers each kernel gets, exercised through the kernels' own renderer classes. */
class KernelRenderersTest {
    private final Table table = Table.create("metrics", IntColumn.create("step", 1, 2, 3),
            DoubleColumn.create("train_loss", 2.5, 1.25, 0.625));
    private final XYChart chart = Plot.of(table).size(300, 200).chart();

    @Test
    void noKernelOutsideANotebook() {
        assertThat(Kernel.current().name()).isEqualTo("none");
        assertThat(Kernel.current().active()).isFalse();
        assertThat(Kernel.current().display(table)).isFalse();
    }

    @Test
    void jjavaRendersTablesAsHtmlAndChartsAsPng() throws Exception {
        var renderer = new org.dflib.jjava.jupyter.kernel.display.Renderer();
        JJavaExtension.register(renderer);
        var tableData = renderer.render(table);
        assertThat((String) tableData.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML))
                .contains("<table").contains("<th>train_loss</th>").contains("1.25");
        var chartData = renderer.render(chart);
        String png = (String) chartData.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG);
        assertThat(decode(png).getWidth()).isEqualTo(300);
    }

    @Test
    void ijavaRendersTablesAsHtmlAndChartsAsPng() throws Exception {
        var renderer = new io.github.spencerpark.jupyter.kernel.display.Renderer();
        IJavaKernel.register(renderer);
        var tableData = renderer.render(table);
        assertThat((String) tableData.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_HTML))
                .contains("<table");
        var chartData = renderer.render(chart);
        String png = (String) chartData.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG);
        assertThat(decode(png).getHeight()).isEqualTo(200);
    }

    @Test
    void rapaioProviderRendersTablesChartsAndRenderables() throws Exception {
        var provider = new RapaioDisplayProvider();
        var renderers = provider.getDisplayRenderers();
        var forTable = renderers.stream().filter(r -> r.rendererClass().isInstance(table)).findFirst().orElseThrow();
        assertThat(forTable.canRender(null)).isTrue();
        assertThat(forTable.render(null, table).data().get("text/html").toString()).contains("<table");
        var forChart = renderers.stream().filter(r -> r.rendererClass().isInstance(chart)).findFirst().orElseThrow();
        assertThat(decode(forChart.render("image/png", chart).data().get("image/png").toString()).getWidth())
                .isEqualTo(300);
        Renderable custom = () -> Map.of("text/plain", "plain", "text/html", "<b>run</b>");
        var forCustom = renderers.stream().filter(r -> r.rendererClass().isInstance(custom)).findFirst().orElseThrow();
        assertThat(forCustom.render(null, custom).data()).containsEntry("text/html", "<b>run</b>");
    }

    @Test
    void htmlTablesEscapeCutLongTablesAndFormatNumbers() {
        Table t = Table.create("t", IntColumn.create("step"), DoubleColumn.create("loss"), StringColumn.create("note"));
        for (int i = 0; i < 100; i++) {
            t.intColumn("step").append(i);
            t.doubleColumn("loss").append(1.0 / 3 + i);
            t.stringColumn("note").append(i == 0 ? "<script>&" : "n" + i);
        }
        t.doubleColumn("loss").setMissing(1);
        String html = HtmlTable.of(t, 10);
        assertThat(html).contains("&lt;script&gt;&amp;").doesNotContain("<script>");
        assertThat(html).contains("<td style=\"text-align: right;\">0.333333</td>");
        assertThat(html).contains("n4").doesNotContain(">n5<").doesNotContain(">n94<").contains("n95").contains("n99");
        assertThat(html).contains("&hellip;").contains("100 rows &times; 3 columns");
        assertThat(html).contains("<td style=\"text-align: right;\"></td>"); // the missing cell is empty
        assertThat(HtmlTable.number(1.5e-7)).isEqualTo("1.50000e-07");
        assertThat(HtmlTable.number(12345678.9)).isEqualTo("12345700");
        // a seed is shown as it is, not rounded
        assertThat(HtmlTable.number(1750743752)).isEqualTo("1750743752");
        assertThat(HtmlTable.number(-3)).isEqualTo("-3");
        // a column with a format of its own shows as it prints
        DoubleColumn share = DoubleColumn.create("share", 0.676463, 0.25);
        share.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.percent(1));
        assertThat(HtmlTable.of(Table.create("p", share))).contains(">67.6%<").contains(">25.0%<");
        StringColumn token = StringColumn.create("token", " ");
        token.setPrintFormatter(new tech.tablesaw.columns.strings.StringColumnFormatter(x -> '"' + x + '"'));
        assertThat(HtmlTable.of(Table.create("t", token))).contains("<td>&quot; &quot;</td>");
    }

    private static BufferedImage decode(String base64) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}
