package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestOptionsTest {
    private final MockApi api = new MockApi();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void extraHeadersQueryAndBodyReachTheWire() {
        api.json(Fixtures.read("job.json"));
        RequestOptions options = RequestOptions.builder().header("X-Trace", "t1").header("OpenAI-Project", "proj_x")
                .queryParam("beta", true).query(Map.of("tags", List.of("a", "b")))
                .bodyField("user_provided_suffix", "weather").bodyField("seed", 7).build();
        api.client.fineTuning().jobs().create(JobCreateParams.builder().model("m").trainingFile("file-1").seed(1)
                .build(), options);
        RecordedRequest r = api.take();
        assertThat(r.getHeaders().get("X-Trace")).isEqualTo("t1");
        assertThat(r.getHeaders().get("OpenAI-Project")).isEqualTo("proj_x");
        assertThat(r.getUrl().queryParameter("beta")).isEqualTo("true");
        assertThat(r.getUrl().queryParameterValues("tags[]")).containsExactly("a", "b");
        JsonNode body = Json.tree(r.getBody().utf8());
        assertThat(body.get("user_provided_suffix").asText()).isEqualTo("weather");
        assertThat(body.get("seed").asInt()).as("extra body overrides").isEqualTo(7);
    }

    @Test
    void extraBodyOnACallWithoutBodyMakesAJsonObject() {
        api.json(Fixtures.read("job.json"));
        api.client.fineTuning().jobs().cancel("ftjob-1", RequestOptions.builder().bodyField("reason", "oops").build());
        RecordedRequest r = api.take();
        assertThat(Json.tree(r.getBody().utf8()).get("reason").asText()).isEqualTo("oops");
    }

    @Test
    void extraBodyOnAMultipartCallAddsFormFields() {
        api.json(Fixtures.read("file.json"));
        api.client.files().create(FileCreateParams.builder().file("a.jsonl", new byte[] {'{', '}'}).purpose("fine-tune")
                .build(), RequestOptions.builder().bodyField("extra", Map.of("k", "v")).build());
        assertThat(api.take().getBody().utf8()).contains("name=\"extra[k]\"");
    }

    @Test
    void aNullExtraHeaderRemovesADefaultOne() {
        api.json(Fixtures.read("model.json"));
        java.util.HashMap<String, String> headers = new java.util.HashMap<>();
        headers.put("User-Agent", "custom/1");
        headers.put("x-stainless-retry-count", null);
        api.client.models().retrieve("m", RequestOptions.builder().headers(headers).build());
        RecordedRequest r = api.take();
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo("custom/1");
        assertThat(r.getHeaders().get("x-stainless-retry-count")).isNull();
    }

    @Test
    void withOptionsDerivesAClientWithOtherDefaultsAndLeavesTheOriginalAlone() {
        OpenAI patient = api.client.withOptions(o -> o.maxRetries(3).header("X-Team", "ml"));
        for (int i = 0; i < 3; i++) api.json(500, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        api.json(Fixtures.read("model.json"));
        assertThat(patient.models().retrieve("m").id()).isNotNull();
        assertThat(api.server.getRequestCount()).as("three retries").isEqualTo(4);
        RecordedRequest first = api.take();
        assertThat(first.getHeaders().get("X-Team")).isEqualTo("ml");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");

        // a call's own options win; derived clients build on the options they derive from
        api.json(500, "{}");
        assertThatThrownBy(() -> patient.models().retrieve("m", RequestOptions.builder().maxRetries(0).build()))
                .isInstanceOf(InternalServerException.class);
        OpenAI quiet = patient.withOptions(o -> o.header("X-Team", null).maxRetries(0));
        api.json(Fixtures.read("model.json"));
        quiet.models().retrieve("m");
        for (int i = 0; i < 4; i++) api.take();
        RecordedRequest derived = api.take();
        assertThat(derived.getHeaders().get("X-Team")).isNull();

        // the original keeps its defaults (MockApi's client: two retries, no extra header), and outlives a derived one
        patient.close();
        api.json(500, "{}").json(500, "{}").json(500, "{}");
        assertThatThrownBy(() -> api.client.models().retrieve("m")).isInstanceOf(InternalServerException.class);
        assertThat(api.take().getHeaders().get("X-Team")).isNull();
        assertThat(api.server.getRequestCount()).isEqualTo(6 + 3);
    }

    @Test
    void invalidOptionsAreRejected() {
        assertThatThrownBy(() -> RequestOptions.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestOptions.builder().maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withRawResponseExposesStatusHeadersRequestIdAndJson() {
        api.json(Fixtures.read("job_paused.json"));
        ApiResponse<FineTuningJob> raw = api.client.withRawResponse(c -> c.fineTuning().jobs().retrieve("ftjob-abc123"));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.requestId()).isEqualTo("req_200");
        assertThat(raw.header("Content-Type")).isEqualTo("application/json");
        assertThat(raw.headers()).containsKey("x-request-id");
        assertThat(raw.rawJson()).isEqualTo(Fixtures.read("job_paused.json"));
        assertThat(raw.parse().status()).isEqualTo("paused");

        api.json(Fixtures.read("model_list.json"));
        ApiResponse<Integer> count = api.client.withRawResponse(c -> c.models().list().data().size());
        assertThat(count.parse()).isEqualTo(2);
        assertThat(count.rawJson()).contains("\"object\": \"list\"");
        assertThatThrownBy(() -> api.client.withRawResponse(c -> 1)).isInstanceOf(IllegalStateException.class);
    }
}
