package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.Json;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RecordedRequest call(OpenAI client) throws InterruptedException {
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("model.json")).build());
        client.models().retrieve("gpt-4o-mini");
        client.close();
        return server.takeRequest();
    }

    @Test
    void fromEnvironmentReadsKeyBaseUrlOrganizationAndProject() throws Exception {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_BASE_URL", server.url("/v1").toString(),
                "OPENAI_ORG_ID", "org-1", "OPENAI_PROJECT_ID", "proj_1",
                "OPENAI_CUSTOM_HEADERS", "X-Team: ml\nX-Env: test");
        RecordedRequest r = call(OpenAI.builder().env(env::get).build());
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/models/gpt-4o-mini");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-env");
        assertThat(r.getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(r.getHeaders().get("OpenAI-Project")).isEqualTo("proj_1");
        assertThat(r.getHeaders().get("X-Team")).isEqualTo("ml");
        assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("User-Agent")).startsWith("finetune4j/");
    }

    @Test
    void builderValuesWinOverTheEnvironmentAndUnsetHeadersAreNotSent() throws Exception {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_BASE_URL", "http://unused.invalid/v1");
        RecordedRequest r = call(OpenAI.builder().env(env::get).apiKey("sk-builder")
                .baseUrl(server.url("/custom/v1/").toString()).header("X-Client", "nb").build());
        assertThat(r.getUrl().encodedPath()).isEqualTo("/custom/v1/models/gpt-4o-mini");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-builder");
        assertThat(r.getHeaders().get("OpenAI-Organization")).isNull();
        assertThat(r.getHeaders().get("OpenAI-Project")).isNull();
        assertThat(r.getHeaders().get("X-Client")).isEqualTo("nb");
    }

    @Test
    void anEmptyProjectSendsNoProjectHeaderEvenWhenTheEnvironmentHasOne() throws Exception {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_PROJECT_ID", "proj_1", "OPENAI_ORG_ID", "org-1");
        RecordedRequest r = call(OpenAI.builder().env(env::get).baseUrl(server.url("/v1").toString()).project("")
                .organization("").build());
        assertThat(r.getHeaders().get("OpenAI-Project")).isNull();
        assertThat(r.getHeaders().get("OpenAI-Organization")).isNull();
    }

    @Test
    void theAdminKeyGoesToAdminCallsAndToEveryCallWithoutAnApiKey() throws Exception {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-env", "OPENAI_ADMIN_KEY", "sk-admin-env",
                "OPENAI_BASE_URL", server.url("/v1").toString());
        // the environment's admin key belongs to OpenAI: another service never gets it
        OpenAI elsewhere = OpenAI.builder().env(env::get).build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("permissions.json")).build());
        elsewhere.fineTuning().checkpoints().permissions().list("ft:m:o::x");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-env");
        assertThat(OpenAI.isOpenAI("https://api.openai.com/v1")).isTrue();
        assertThat(OpenAI.isOpenAI(server.url("/v1").toString())).isFalse();

        OpenAI both = OpenAI.builder().env(env::get).adminKey("sk-admin-given").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("permissions.json")).build());
        both.fineTuning().checkpoints().permissions().list("ft:m:o::x");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-admin-given");
        assertThat(call(both).getHeaders().get("Authorization")).as("ordinary calls").isEqualTo("Bearer sk-env");

        OpenAI adminOnly = OpenAI.builder().env(n -> null).adminKey("sk-admin-1").baseUrl(server.url("/v1").toString())
                .build();
        assertThat(call(adminOnly).getHeaders().get("Authorization")).isEqualTo("Bearer sk-admin-1");

        OpenAI none = OpenAI.builder().env(env::get).adminKey("").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("permissions.json")).build());
        none.fineTuning().checkpoints().permissions().list("ft:m:o::x");
        none.close();
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-env");
        assertThatThrownBy(() -> OpenAI.builder().env(n -> null).build()).hasMessageContaining("OPENAI_ADMIN_KEY");
        Map<String, String> adminOnlyEnv = Map.of("OPENAI_ADMIN_KEY", "sk-admin-env", "OPENAI_BASE_URL", server.url("/v1").toString());
        assertThatThrownBy(() -> OpenAI.builder().env(adminOnlyEnv::get).build()).as("not for another service")
                .hasMessageContaining("No API key");
    }

    @Test
    void aMissingKeyIsAClearError() {
        assertThatThrownBy(() -> OpenAI.builder().env(n -> null).build()).isInstanceOf(OpenAIException.class)
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> OpenAI.builder().apiKey("sk-secret\n").env(n -> null).build())
                .isInstanceOf(OpenAIException.class).hasMessageContaining("position 9")
                .hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> OpenAI.builder().apiKey("k").baseUrl("not a url").env(n -> null).build())
                .isInstanceOf(OpenAIException.class).hasMessageContaining("not a url");
    }

    @Test
    void azureUsesApiKeyHeaderApiVersionAndOpenaiPaths() throws Exception {
        OpenAI azure = OpenAI.azure().env(n -> null).endpoint(server.url("/").toString()).apiKey("az-key")
                .apiVersion("2025-04-01-preview").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("job.json")).build());
        azure.fineTuning().jobs().retrieve("ftjob-abc123");
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/fine_tuning/jobs/ftjob-abc123");
        assertThat(r.getUrl().queryParameter("api-version")).isEqualTo("2025-04-01-preview");
        assertThat(r.getHeaders().get("api-key")).isEqualTo("az-key");
        assertThat(r.getHeaders().get("Authorization")).isNull();

        server.enqueue(new MockResponse.Builder().body(Fixtures.read("chat_completion.json")).build());
        azure.chat().completions().create(ChatCompletionCreateParams.builder().model("my-deployment")
                .addUserMessage("hi").build());
        RecordedRequest chat = server.takeRequest();
        assertThat(chat.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-deployment/chat/completions");
        assertThat(chat.getUrl().queryParameter("api-version")).isEqualTo("2025-04-01-preview");

        server.enqueue(new MockResponse.Builder().body(Fixtures.read("job_events.json")).build());
        azure.fineTuning().jobs().listEvents("ftjob-abc123", ListParams.builder().limit(3).build());
        RecordedRequest events = server.takeRequest();
        assertThat(events.getUrl().query()).isEqualTo("api-version=2025-04-01-preview&limit=3");
        azure.close();

        // an endpoint copied with its /openai is the same endpoint
        OpenAI withSuffix = OpenAI.azure().env(n -> null).endpoint(server.url("/openai/").toString()).apiKey("az-key")
                .apiVersion("2025-04-01-preview").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("job.json")).build());
        withSuffix.fineTuning().jobs().retrieve("ftjob-abc123");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/openai/fine_tuning/jobs/ftjob-abc123");
        withSuffix.close();
    }

    @Test
    void azureWithAFixedDeploymentAndAnEntraToken() throws Exception {
        OpenAI azure = OpenAI.azure().env(Map.of("OPENAI_API_VERSION", "2024-10-21", "AZURE_OPENAI_AD_TOKEN", "tok",
                "AZURE_OPENAI_ENDPOINT", server.url("/").toString())::get).deployment("gpt4o-ft").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("chat_completion.json")).build());
        azure.chat().completions().create(Map.of("model", "ignored", "messages", List.of(Map.of("role", "user",
                "content", "hi"))));
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/deployments/gpt4o-ft/chat/completions");
        assertThat(r.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer tok");
        assertThat(Json.tree(r.getBody().utf8()).get("model").asText()).isEqualTo("ignored");
        azure.close();
    }

    @Test
    void azureV1EndpointIsUsedAsIs() throws Exception {
        // a version in the environment is meant for the classic paths: v1 takes none
        OpenAI azure = OpenAI.azure().env(Map.of("OPENAI_API_VERSION", "2024-10-21")::get)
                .endpoint(server.url("/openai/v1").toString()).apiKey("k").build();
        server.enqueue(new MockResponse.Builder().body(Fixtures.read("chat_completion.json")).build());
        azure.chat().completions().create(Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user",
                "content", "hi"))));
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/v1/chat/completions");
        assertThat(r.getUrl().query()).isNull();
        azure.close();
    }

    @Test
    void azureNeedsEndpointCredentialsAndVersion() {
        assertThatThrownBy(() -> OpenAI.azure().env(n -> null).apiKey("k").apiVersion("v").build())
                .hasMessageContaining("AZURE_OPENAI_ENDPOINT");
        assertThatThrownBy(() -> OpenAI.azure().env(n -> null).endpoint("https://x.openai.azure.com").apiVersion("v").build())
                .hasMessageContaining("AZURE_OPENAI_API_KEY");
        assertThatThrownBy(() -> OpenAI.azure().env(n -> null).endpoint("https://x.openai.azure.com").apiKey("k").build())
                .hasMessageContaining("OPENAI_API_VERSION");
    }

    @Test
    void anEntraTokenProviderIsAskedBeforeEachRequest() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        OpenAI azure = OpenAI.azure().env(n -> null).endpoint(server.url("/").toString()).apiVersion("2024-10-21")
                .azureAdTokenProvider(() -> "token-" + asked.incrementAndGet()).build();
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().body(Fixtures.read("model.json")).build());
            azure.models().retrieve("gpt-4o-mini");
        }
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
        OpenAI failing = OpenAI.azure().env(n -> null).endpoint(server.url("/").toString()).apiVersion("2024-10-21")
                .azureAdTokenProvider(() -> {
                    throw new IllegalStateException("not signed in");
                }).build();
        assertThatThrownBy(() -> failing.models().retrieve("gpt-4o-mini")).isInstanceOf(OpenAIException.class)
                .hasMessage("The Azure AD token provider failed: not signed in");
        azure.close();
        failing.close();
    }

    @Test
    void aDeploymentsTargetUriFromThePortalGivesTheResourceAndTheVersion() throws Exception {
        String target = server.url("/openai/deployments/gpt-4o/chat/completions?api-version=2025-01-01-preview").toString();
        OpenAI azure = OpenAI.azure().env(n -> null).endpoint(target).apiKey("k").build();
        RecordedRequest r = call(azure);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/models/gpt-4o-mini");
        assertThat(r.getUrl().query()).isEqualTo("api-version=2025-01-01-preview");
    }

    @Test
    void aV1TargetUriStaysOnV1AndAnEntraTokenGoesWithoutAKey() throws Exception {
        String target = server.url("/openai/v1/responses?api-version=preview").toString();
        OpenAI azure = OpenAI.azure().env(Map.of("AZURE_OPENAI_API_KEY", "env-key")::get).endpoint(target)
                .azureAdTokenProvider(() -> "tok").build();
        RecordedRequest r = call(azure);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/openai/v1/models/gpt-4o-mini");
        assertThat(r.getUrl().query()).isNull();
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer tok");
        assertThat(r.getHeaders().get("api-key")).isNull();
    }

    @Test
    void aBaseUrlWithAQueryOrAV1EndpointWithADeploymentIsRefused() {
        assertThatThrownBy(() -> OpenAI.builder().env(n -> null).apiKey("k").baseUrl("http://h/v1?foo=bar").build())
                .isInstanceOf(OpenAIException.class).hasMessageContaining("queryParam(name, value)");
        assertThatThrownBy(() -> OpenAI.azure().env(n -> null).endpoint("https://x.openai.azure.com/openai/v1")
                .apiKey("k").deployment("dep1").build())
                .isInstanceOf(OpenAIException.class).hasMessageContaining("as the request's model");
    }
}
