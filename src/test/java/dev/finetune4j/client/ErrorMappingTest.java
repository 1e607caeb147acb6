package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
    private final MockApi api = new MockApi(b -> b.maxRetries(0));

    @AfterEach
    void close() {
        api.close();
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(400, BadRequestException.class),
                Arguments.of(401, AuthenticationException.class),
                Arguments.of(403, PermissionDeniedException.class),
                Arguments.of(404, NotFoundException.class),
                Arguments.of(409, ConflictException.class),
                Arguments.of(422, UnprocessableEntityException.class),
                Arguments.of(429, RateLimitException.class),
                Arguments.of(500, InternalServerException.class),
                Arguments.of(503, InternalServerException.class),
                Arguments.of(418, ApiStatusException.class));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void mapsEachStatusToItsException(int status, Class<? extends ApiStatusException> type) {
        String body = """
                {"error":{"message":"Job ftjob-x not found","type":"invalid_request_error","param":"fine_tuning_job_id","code":"not_found"}}""";
        api.json(status, body);
        ApiStatusException e = catchThrowableOfType(type, () -> api.client.fineTuning().jobs().retrieve("ftjob-x"));
        assertThat(e).isExactlyInstanceOf(type).isInstanceOf(ApiException.class).isInstanceOf(OpenAIException.class);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.errorMessage()).isEqualTo("Job ftjob-x not found");
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.param()).isEqualTo("fine_tuning_job_id");
        assertThat(e.code()).isEqualTo("not_found");
        assertThat(e.requestId()).isEqualTo("req_" + status);
        assertThat(e.body()).isEqualTo(body);
        assertThat(e.headers()).containsKey("x-request-id");
        assertThat(e.getMessage()).contains("HTTP " + status).contains("Job ftjob-x not found")
                .contains("req_" + status);
        if (status == 429) {
            // the spec documents an error body only for the 429 of chat completions
            ContractCheck.response("POST", "/v1/chat/completions", 429, "application/json", body);
        }
    }

    @Test
    void keepsANonJsonErrorBodyAsTheMessage() {
        api.enqueue(new MockResponse.Builder().code(502).body("<html>Bad gateway</html>").build());
        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> api.client.models().list());
        assertThat(e.errorMessage()).isNull();
        assertThat(e.body()).isEqualTo("<html>Bad gateway</html>");
        assertThat(e.getMessage()).contains("502").contains("Bad gateway");
    }

    @Test
    void readsABareOrStringErrorFromCompatibleServers() {
        api.json(400, "{\"error\":\"training_file is required\"}");
        assertThatThrownBy(() -> api.client.models().list()).isInstanceOf(BadRequestException.class)
                .extracting(t -> ((ApiException) t).errorMessage()).isEqualTo("training_file is required");
        api.json(404, "{\"message\":\"no such model\",\"code\":404}");
        NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> api.client.models().retrieve("m"));
        assertThat(e.errorMessage()).isEqualTo("no such model");
        assertThat(e.code()).isEqualTo("404");
        // RFC 9457 problem details, as a mock of the spec answers
        api.json(422, "{\"type\":\"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY\",\"title\":\"Invalid request\","
                + "\"status\":422,\"detail\":\"Your request is not valid\"}");
        UnprocessableEntityException p = catchThrowableOfType(UnprocessableEntityException.class, () -> api.client.models().list());
        assertThat(p.errorMessage()).isEqualTo("Invalid request: Your request is not valid");
    }

    @Test
    void anInvalidSuccessBodyIsAnApiExceptionWithTheBody() {
        api.json("{\"id\": \"ftjob-1\", \"created_at\": \"yesterday\"}");
        ApiException e = catchThrowableOfType(ApiException.class, () -> api.client.fineTuning().jobs().retrieve("ftjob-1"));
        assertThat(e).isNotInstanceOf(ApiStatusException.class);
        assertThat(e.getMessage()).contains("/fine_tuning/jobs/ftjob-1").contains("FineTuningJob");
        assertThat(e.body()).contains("yesterday");
    }

    @Test
    void aSuccessBodyThatIsNullOrAPageIsAnApiExceptionThatShowsIt() {
        api.json("null");
        assertThatThrownBy(() -> api.client.fineTuning().jobs().retrieve("ftjob-1")).isInstanceOf(ApiException.class)
                .hasMessageContaining("is not a valid FineTuningJob: the body is null");
        api.server.enqueue(new MockResponse.Builder().setHeader("Content-Type", "text/html")
                .body("<html><body>Sign in to the proxy</body></html>").build());
        assertThatThrownBy(() -> api.client.fineTuning().jobs().retrieve("ftjob-1")).isInstanceOf(ApiException.class)
                .hasMessageContaining("(HTTP 200, text/html)")
                .hasMessageContaining("It starts: <html><body>Sign in to the proxy</body></html>");
    }

    @Test
    void aRefusedConnectionIsAnApiConnectionException() {
        OpenAI client = OpenAI.builder().apiKey("k").baseUrl("http://127.0.0.1:1/v1").maxRetries(0).build();
        assertThatThrownBy(() -> client.models().list()).isExactlyInstanceOf(ApiConnectionException.class)
                .hasMessageContaining("Connection error");
        client.close();
    }

    @Test
    void badArgumentsFailBeforeAnyRequest() {
        assertThatThrownBy(() -> JobCreateParams.builder().model("m").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training_file");
        assertThatThrownBy(() -> api.client.fineTuning().jobs().retrieve(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.client.fineTuning().checkpoints().permissions().create("ft:x", java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project_ids");
        assertThatThrownBy(() -> api.client.fineTuning().checkpoints().permissions()
                .delete("cp_abc123", "ft:gpt-4o-mini:org::x:ckpt-step-10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete(checkpoint, permissionId)")
                .hasMessageContaining("cp_abc123");
        assertThatThrownBy(() -> api.client.async().fineTuning().checkpoints().permissions()
                .delete("cp_abc123", "ft:gpt-4o-mini:org::x:ckpt-step-10").get(5, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(api.server.getRequestCount()).isZero();
    }
}
