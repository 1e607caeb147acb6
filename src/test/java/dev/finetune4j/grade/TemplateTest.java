package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final JsonNode ITEM = Json.tree("""
            {"label": "Paris", "n": 3, "ok": true, "nested": {"list": [{"x": "deep"}]}, "nothing": null}""");

    private static String render(String template, Sample sample) {
        Template.Rendered r = Template.parse(template).render(sample.scope(ITEM));
        assertThat(r.missing()).isEmpty();
        return r.text();
    }

    @Test
    void rendersItemAndSampleWithOrWithoutSpaces() {
        Sample sample = Sample.of("Paris");
        assertThat(render("{{item.label}} vs {{ sample.output_text }}", sample)).isEqualTo("Paris vs Paris");
        assertThat(render("{{  item.label}}!", sample)).isEqualTo("Paris!");
        assertThat(render("n={{item.n}} ok={{item.ok}} null=[{{item.nothing}}]", sample))
                .isEqualTo("n=3 ok=true null=[]");
        assertThat(render("{{item.nested.list[0].x}}", sample)).isEqualTo("deep");
        assertThat(render("{{item.nested}}", sample)).isEqualTo("{\"list\":[{\"x\":\"deep\"}]}");
        assertThat(render("no variables", sample)).isEqualTo("no variables");
    }

    @Test
    void outputJsonIsFilledWhenTheSampleIsJson() {
        Sample sample = Sample.of("{\"a\": {\"b\": \"c\"}, \"email\": \"x@y.z\"}");
        assertThat(render("{{sample.output_json.a.b}} {{ sample.output_json.email }}", sample)).isEqualTo("c x@y.z");
        assertThat(Sample.of("not json").outputJson()).isNull();
        assertThat(Sample.of("{\"a\": 1} trailing").outputJson()).isNull();
        Template.Rendered missing = Template.parse("{{sample.output_json.a}}").render(Sample.of("plain").scope(ITEM));
        assertThat(missing.text()).isEmpty();
        assertThat(missing.missing()).extracting(Template.Variable::expression).containsExactly("sample.output_json.a");
    }

    @Test
    void outputToolsAndChoices() {
        ChatMessage.ToolCall call = new ChatMessage.ToolCall(null, "call_1", "function",
                new ChatMessage.FunctionCall("get_weather", "{\"city\":\"Paris\"}", null), null);
        ChatMessage message = new ChatMessage("assistant", null, null, null, List.of(call), null, null);
        Sample sample = Sample.of(message, "tool_calls");
        assertThat(render("{{sample.output_tools[0].function.name}}", sample)).isEqualTo("get_weather");
        assertThat(render("{{sample.choices[0].finish_reason}}", sample)).isEqualTo("tool_calls");
        assertThat(render("{{sample.choices[0].message.content}}", Sample.of("hi"))).isEqualTo("hi");
    }

    @Test
    void missingVariablesAreReported() {
        Template.Rendered r = Template.parse("[{{item.absent}}][{{item.nested.list[5]}}]").render(Sample.of("x").scope(ITEM));
        assertThat(r.text()).isEqualTo("[][]");
        assertThat(r.missing()).extracting(Template.Variable::expression)
                .containsExactly("item.absent", "item.nested.list[5]");
    }

    @Test
    void syntaxErrors() {
        assertThatThrownBy(() -> Template.parse("{{ foo.bar }}")).isInstanceOf(TemplateSyntaxException.class)
                .hasMessageContaining("unknown namespace 'foo'");
        assertThatThrownBy(() -> Template.parse("Hello {{item.label")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> Template.parse("{{ }}")).hasMessageContaining("empty variable");
        assertThatThrownBy(() -> Template.parse("{{item.}}")).hasMessageContaining("expected a key");
        assertThatThrownBy(() -> Template.parse("{{item.list[x]}}")).hasMessageContaining("index");
        assertThatThrownBy(() -> Template.parse("{{sample.output}}")).hasMessageContaining("unknown sample field");
        assertThatThrownBy(() -> Template.parse("{{item label}}")).hasMessageContaining("unexpected character");
    }

    @Test
    void variablesAreListed() {
        assertThat(Template.parse("{{item.a}} {{ sample.output_tools[0].id }}").variables())
                .extracting(Template.Variable::path)
                .containsExactly(List.of("item", "a"), List.of("sample", "output_tools", 0, "id"));
    }
}
