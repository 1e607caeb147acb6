package dev.finetune4j.client;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A client for the OpenAI fine-tuning API, shaped like the official SDKs: {@code client.files()},
 * {@code client.fineTuning().jobs()}, {@code client.models()}, {@code client.chat().completions()}, ... It works
 * against OpenAI, Azure OpenAI ({@link #azure()}) and compatible servers ({@code baseUrl("http://127.0.0.1:7080/v1")}).
 * Example: {@code OpenAI client = OpenAI.fromEnv(); client.fineTuning().jobs().retrieve("ftjob-abc123");}
 */
public final class OpenAI implements AutoCloseable {
    /** The client's version, sent in {@code User-Agent: finetune4j/<version>}. */
    public static final String VERSION = "0.1.0";
    /** The base URL used when neither {@code baseUrl(...)} nor {@code OPENAI_BASE_URL} gives one. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** The default read and write timeout of a request: 10 minutes, as in the official SDKs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    /** The default connect timeout: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default number of retries after a failed first attempt (connection errors, 408, 409, 429, 5xx). */
    public static final int DEFAULT_MAX_RETRIES = 2;

    private final Transport transport;
    private final boolean ownsHttpClient;
    private final FileService files;
    private final UploadService uploads;
    private final FineTuningService fineTuning;
    private final ModelService models;
    private final ChatService chat;
    private final Object asyncLock = new Object();
    private AsyncOpenAI async;
    private ExecutorService executor;

    private OpenAI(Transport transport, boolean ownsHttpClient) {
        this.transport = transport;
        this.ownsHttpClient = ownsHttpClient;
        this.files = new FileService(transport);
        this.uploads = new UploadService(transport);
        this.fineTuning = new FineTuningService(transport);
        this.models = new ModelService(transport);
        this.chat = new ChatService(transport);
    }

    /**
     * A client configured from {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_ORG_ID},
     * {@code OPENAI_PROJECT_ID}, and {@code OPENAI_ADMIN_KEY} when the base URL is OpenAI's own (an organisation's
     * admin key is never sent to another service; pass it with {@code builder().adminKey(...)} for one):
     * {@code OpenAI client = OpenAI.fromEnv();}.
     */
    public static OpenAI fromEnv() {
        return builder().build();
    }

    /** Configures a client; unset values come from the environment: {@code OpenAI.builder().apiKey(k).baseUrl(u).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an Azure OpenAI client: {@code OpenAI.azure().endpoint("https://x.openai.azure.com").apiKey(k).apiVersion("2025-04-01-preview").build()}. */
    public static AzureBuilder azure() {
        return new AzureBuilder();
    }

    /** Files: {@code client.files().create(Path.of("train.jsonl"), "fine-tune")}. */
    public FileService files() {
        return files;
    }

    /** Multipart uploads of large files: {@code client.uploads().uploadFile(path, "fine-tune", "text/jsonl")}. */
    public UploadService uploads() {
        return uploads;
    }

    /** Fine-tuning: {@code client.fineTuning().jobs().list()}. */
    public FineTuningService fineTuning() {
        return fineTuning;
    }

    /** Models: {@code client.models().retrieve("gpt-4o-mini")}. */
    public ModelService models() {
        return models;
    }

    /** Chat: {@code client.chat().completions().create(params)}. */
    public ChatService chat() {
        return chat;
    }

    /** The same calls answering {@code CompletableFuture}s: {@code client.async().fineTuning().jobs().create(params)}. */
    public AsyncOpenAI async() {
        synchronized (asyncLock) {
            if (async == null) {
                AtomicInteger n = new AtomicInteger();
                executor = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "finetune4j-async-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
                async = new AsyncOpenAI(this, executor);
            }
            return async;
        }
    }

    /**
     * A client with other defaults for each request (timeout, retries, headers, ...), sharing this one's connections
     * and settings; the options of a single call still win. Closing it leaves this client open. Example:
     * {@code client.withOptions(o -> o.maxRetries(5).timeout(Duration.ofSeconds(20))).files().list()}.
     */
    public OpenAI withOptions(Consumer<RequestOptions.Builder> change) {
        RequestOptions.Builder b = transport.defaults().toBuilder();
        change.accept(b);
        return new OpenAI(transport.withDefaults(b.build()), false);
    }

    /**
     * Runs a call and returns its result with the HTTP details (status, headers, request id, raw JSON) of the last
     * response it received: {@code client.withRawResponse(c -> c.fineTuning().jobs().retrieve(id)).requestId()}.
     */
    public <T> ApiResponse<T> withRawResponse(Function<OpenAI, T> call) {
        return Transport.captureRaw(() -> call.apply(this));
    }

    /** The base URL requests go to, ending with {@code /}. */
    public String baseUrl() {
        return transport.baseUrl().toString();
    }

    /** Stops the async threads and, when the client created its own HTTP client, its idle connections. */
    @Override
    public void close() {
        synchronized (asyncLock) {
            if (executor != null) executor.shutdown();
        }
        if (ownsHttpClient) {
            transport.http().dispatcher().executorService().shutdown();
            transport.http().connectionPool().evictAll();
        }
    }

    /** Rejects a credential HTTP cannot carry (a pasted line break, say) without echoing the secret. */
    static void checkCredential(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new OpenAIException("The " + what + " contains a character not allowed in an HTTP header"
                        + " (position " + i + ", code " + (int) c + "); check for spaces or line breaks");
            }
        }
    }

    static HttpUrl parseBaseUrl(String url, String what) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) throw new OpenAIException(what + " is not an http(s) URL: " + url);
        if (parsed.query() != null || parsed.fragment() != null) {
            // paths are appended to the base: a query in it would end up in the middle of every URL
            throw new OpenAIException("The " + what + " has a query or fragment (" + url + "): give the URL up to its"
                    + " path, and query parameters with queryParam(name, value)");
        }
        if (!url.endsWith("/")) parsed = HttpUrl.parse(url + "/");
        return parsed;
    }

    /** Settings shared by the OpenAI and Azure builders. */
    @SuppressWarnings("unchecked")
    abstract static class CommonBuilder<B extends CommonBuilder<B>> {
        Duration timeout = DEFAULT_TIMEOUT;
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        int maxRetries = DEFAULT_MAX_RETRIES;
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, String> query = new LinkedHashMap<>();
        OkHttpClient httpClient;
        Function<String, String> env = System::getenv;
        Sleeper sleeper = Sleeper.REAL;
        DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        Clock clock = Clock.systemUTC();

        /** Read and write timeout of each request (default 600 s). */
        public B timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.timeout = timeout;
            return (B) this;
        }

        /** Connect timeout (default 5 s). */
        public B connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
            this.connectTimeout = timeout;
            return (B) this;
        }

        /** Retries after the first attempt (default 2). */
        public B maxRetries(int maxRetries) {
            if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0");
            this.maxRetries = maxRetries;
            return (B) this;
        }

        /** A header sent with every request. */
        public B header(String name, String value) {
            headers.put(name, value);
            return (B) this;
        }

        /** A query parameter sent with every request. */
        public B queryParam(String name, String value) {
            query.put(name, value);
            return (B) this;
        }

        /** Shares an existing OkHttp client (its pool and dispatcher); timeouts set here still apply. */
        public B httpClient(OkHttpClient client) {
            this.httpClient = client;
            return (B) this;
        }

        B env(Function<String, String> env) {
            this.env = env;
            return (B) this;
        }

        B sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return (B) this;
        }

        B random(DoubleSupplier random) {
            this.random = random;
            return (B) this;
        }

        B clock(Clock clock) {
            this.clock = clock;
            return (B) this;
        }

        String env(String name) {
            String v = env.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        OkHttpClient http() {
            OkHttpClient.Builder b = httpClient != null ? httpClient.newBuilder()
                    : new OkHttpClient.Builder().connectionPool(new ConnectionPool(100, 5, TimeUnit.MINUTES))
                            .dispatcher(dispatcher());
            // The retry policy is ours (RetryPolicy); OkHttp's silent connection retries would skew its counts.
            return b.connectTimeout(connectTimeout).readTimeout(timeout).writeTimeout(timeout)
                    .retryOnConnectionFailure(false).build();
        }

        private static Dispatcher dispatcher() {
            Dispatcher d = new Dispatcher();
            d.setMaxRequests(1000);
            d.setMaxRequestsPerHost(1000);
            return d;
        }

        /** Headers from {@code OPENAI_CUSTOM_HEADERS}: one {@code Name: value} per line. */
        Map<String, String> envHeaders() {
            Map<String, String> out = new LinkedHashMap<>();
            String raw = env("OPENAI_CUSTOM_HEADERS");
            if (raw == null) return out;
            for (String line : raw.split("\\R")) {
                int colon = line.indexOf(':');
                if (colon > 0) out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            return out;
        }

        OpenAI build(HttpUrl baseUrl, Map<String, String> fixedHeaders, Supplier<String> authorization,
                     boolean azureDeployments, String azureDeployment, String adminAuthorization) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("User-Agent", "finetune4j/" + VERSION);
            all.putAll(fixedHeaders);
            all.putAll(envHeaders());
            all.putAll(headers);
            Transport transport = new Transport(http(), baseUrl, all, authorization, query, maxRetries,
                    new RetryPolicy(random, clock), sleeper, azureDeployments, azureDeployment, adminAuthorization,
                    RequestOptions.NONE);
            return new OpenAI(transport, httpClient == null);
        }
    }

    /** Builds an {@link OpenAI} client for OpenAI or any compatible server. */
    public static final class Builder extends CommonBuilder<Builder> {
        private String apiKey;
        private String adminKey;
        private String baseUrl;
        private String organization;
        private String project;

        private Builder() {}

        /** The API key (default: {@code OPENAI_API_KEY}); sent as {@code Authorization: Bearer <key>}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * An admin key (default: {@code OPENAI_ADMIN_KEY} when the base URL is OpenAI's; {@code adminKey("")} sets none), sent instead of the API key
         * on the calls OpenAI reserves to admin keys, such as checkpoint permissions, and on every call when there is
         * no API key: {@code OpenAI.builder().apiKey(k).adminKey(admin).build()}.
         */
        public Builder adminKey(String adminKey) {
            this.adminKey = adminKey;
            return this;
        }

        /** E.g. {@code http://127.0.0.1:7080/v1} (default: {@code OPENAI_BASE_URL}, else {@code https://api.openai.com/v1}). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Sent as {@code OpenAI-Organization} (default: {@code OPENAI_ORG_ID}); {@code organization("")} sends none. */
        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        /** Sent as {@code OpenAI-Project} (default: {@code OPENAI_PROJECT_ID}); {@code project("")} sends none. */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /** The client; throws {@link OpenAIException} without an API key or admin key, or for an invalid base URL. */
        public OpenAI build() {
            String key = apiKey != null ? apiKey : env("OPENAI_API_KEY");
            String url = baseUrl != null ? baseUrl : Objects.requireNonNullElse(env("OPENAI_BASE_URL"), DEFAULT_BASE_URL);
            // an organisation's admin key from the environment goes to OpenAI only, never to another service the
            // client is pointed at; passed explicitly, it goes where the caller says
            String admin = adminKey != null ? adminKey : isOpenAI(url) ? env("OPENAI_ADMIN_KEY") : null;
            if (admin != null && admin.isBlank()) admin = null;
            if (key == null && admin == null) {
                throw new OpenAIException("No API key: pass OpenAI.builder().apiKey(...) or set OPENAI_API_KEY"
                        + (env("OPENAI_ADMIN_KEY") != null
                        ? " (OPENAI_ADMIN_KEY is set, but an admin key from the environment goes to api.openai.com"
                                + " only, not to " + url + ": pass it with OpenAI.builder().adminKey(...))"
                        : " (or OPENAI_ADMIN_KEY for an admin key on api.openai.com)"));
            }
            String org = organization != null ? organization : env("OPENAI_ORG_ID");
            String proj = project != null ? project : env("OPENAI_PROJECT_ID");
            if (key != null) checkCredential(key, "API key");
            if (admin != null) checkCredential(admin, "admin key");
            Map<String, String> fixed = new LinkedHashMap<>();
            fixed.put("Authorization", "Bearer " + (key != null ? key : admin));
            if (org != null && !org.isBlank()) fixed.put("OpenAI-Organization", org);
            if (proj != null && !proj.isBlank()) fixed.put("OpenAI-Project", proj);
            return build(parseBaseUrl(url, "base URL"), fixed, null, false, null, admin == null ? null : "Bearer " + admin);
        }
    }

    /** Whether a base URL is OpenAI's own API. Example: {@code OpenAI.isOpenAI(client.baseUrl())}. */
    public static boolean isOpenAI(String baseUrl) {
        try {
            return "api.openai.com".equalsIgnoreCase(java.net.URI.create(baseUrl.strip()).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Builds a client for Azure OpenAI: requests go to {@code <endpoint>/openai/...?api-version=<version>} with an
     * {@code api-key} header (or a Microsoft Entra token as {@code Authorization: Bearer}); chat completions go
     * to {@code /openai/deployments/<deployment>/chat/completions}, the deployment being the request's model unless
     * {@link #deployment} fixes one. An endpoint already ending in {@code /openai/v1} is used as is (Azure's v1 API,
     * which takes no dated version and names the deployment as the model). A deployment's "Target URI" from the
     * portal works as the endpoint too: its resource and its {@code api-version} are used.
     */
    public static final class AzureBuilder extends CommonBuilder<AzureBuilder> {
        private String endpoint;
        private String apiKey;
        private String adToken;
        private Supplier<String> adTokenProvider;
        private String apiVersion;
        private String deployment;

        private AzureBuilder() {}

        /** E.g. {@code https://my-resource.openai.azure.com} (default: {@code AZURE_OPENAI_ENDPOINT}). */
        public AzureBuilder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Sent as {@code api-key} (default: {@code AZURE_OPENAI_API_KEY}), unless an Entra token is given. */
        public AzureBuilder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * A Microsoft Entra ID token, sent as {@code Authorization: Bearer} (default: {@code AZURE_OPENAI_AD_TOKEN}).
         * It expires after about an hour: for longer sessions use {@link #azureAdTokenProvider}.
         */
        public AzureBuilder azureAdToken(String token) {
            this.adToken = token;
            return this;
        }

        /**
         * Asks for a Microsoft Entra ID token before each request, so that a session outlives a token (a job trains
         * for hours; a token lasts about one). Example, with the Azure Identity library:
         * {@code .azureAdTokenProvider(() -> credential.getTokenSync(context).getToken())}.
         */
        public AzureBuilder azureAdTokenProvider(Supplier<String> provider) {
            this.adTokenProvider = provider;
            return this;
        }

        /** E.g. {@code 2025-04-01-preview} (default: {@code OPENAI_API_VERSION}, except for a v1 endpoint). */
        public AzureBuilder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** The deployment chat completions go to, instead of the request's {@code model} (not for v1 endpoints). */
        public AzureBuilder deployment(String deployment) {
            this.deployment = deployment;
            return this;
        }

        /** The client; throws {@link OpenAIException} without an endpoint, a credential or (pre-v1) an API version. */
        public OpenAI build() {
            String url = endpoint != null ? endpoint : env("AZURE_OPENAI_ENDPOINT");
            if (url == null) {
                throw new OpenAIException("No Azure endpoint: pass OpenAI.azure().endpoint(...) or set AZURE_OPENAI_ENDPOINT");
            }
            String token = adToken != null ? adToken : env("AZURE_OPENAI_AD_TOKEN");
            // as the Python SDK does, an Entra token goes alone: no key is sent beside it
            String key = token != null || adTokenProvider != null ? null
                    : apiKey != null ? apiKey : env("AZURE_OPENAI_API_KEY");
            if (key == null && token == null && adTokenProvider == null) {
                throw new OpenAIException("No Azure credentials: pass apiKey(...), azureAdToken(...) or"
                        + " azureAdTokenProvider(...), or set AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN");
            }
            String version = apiVersion;
            HttpUrl pasted = HttpUrl.parse(url);
            int openai = pasted == null ? -1 : pasted.pathSegments().indexOf("openai");
            if (openai >= 0 && pasted.query() != null) {
                // a Target URI from the portal: .../openai/deployments/<name>/chat/completions?api-version=..., or
                // .../openai/v1/responses?api-version=preview for the v1 API (which takes no dated version)
                List<String> segments = pasted.pathSegments();
                boolean isV1 = openai + 1 < segments.size() && segments.get(openai + 1).equals("v1");
                if (version == null && !isV1) version = pasted.queryParameter("api-version");
                HttpUrl.Builder resource = pasted.newBuilder().query(null).fragment(null).encodedPath("/");
                for (String segment : segments.subList(0, isV1 ? openai + 2 : openai)) resource.addPathSegment(segment);
                url = resource.build().toString();
            }
            String trimmed = url.replaceAll("/+$", "");
            boolean v1 = trimmed.endsWith("/openai/v1");
            // the portal shows some endpoints with /openai already: the paths add it again otherwise
            if (!v1 && trimmed.endsWith("/openai")) trimmed = trimmed.substring(0, trimmed.length() - "/openai".length());
            // v1 takes no dated version: one from the environment is meant for the classic paths
            if (version == null && !v1) version = env("OPENAI_API_VERSION");
            if (version == null && !v1) {
                throw new OpenAIException("No Azure API version: pass apiVersion(\"2025-04-01-preview\") or set OPENAI_API_VERSION");
            }
            if (v1 && deployment != null) {
                throw new OpenAIException("deployment(...) is for the classic /openai/deployments paths; on an"
                        + " /openai/v1 endpoint, give the deployment's name as the request's model");
            }
            HttpUrl base = parseBaseUrl(v1 ? trimmed : trimmed + "/openai", "Azure endpoint");
            if (version != null) query.putIfAbsent("api-version", version);
            if (key != null) checkCredential(key, "Azure API key");
            if (token != null) checkCredential(token, "Azure AD token");
            Map<String, String> fixed = new LinkedHashMap<>();
            if (key != null) fixed.put("api-key", key);
            if (token != null) fixed.put("Authorization", "Bearer " + token);
            Supplier<String> provider = adTokenProvider;
            Supplier<String> authorization = provider == null ? null : () -> {
                String fresh;
                try {
                    fresh = provider.get();
                } catch (RuntimeException e) {
                    throw new OpenAIException("The Azure AD token provider failed: " + e.getMessage(), e);
                }
                if (fresh == null) throw new OpenAIException("The Azure AD token provider gave no token (null)");
                checkCredential(fresh, "Azure AD token");
                return "Bearer " + fresh;
            };
            return build(base, fixed, authorization, !v1, deployment, null);
        }
    }
}
