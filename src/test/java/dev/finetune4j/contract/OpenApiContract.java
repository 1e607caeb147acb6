package dev.finetune4j.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolverFactory;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRule;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks HTTP requests and responses against the official OpenAPI spec ({@code ../shared/spec/openapi.yaml}, or
 * the path in system property {@code finetune4j.spec}) with swagger-request-validator. Shared by the client's
 * and the local server's tests:
 * <pre>
 * OpenApiContract spec = OpenApiContract.get();          // skips the test when the spec file is absent
 * assertThat(spec.violationsForResponse("GET", "/v1/fine_tuning/jobs/ftjob-1", 200, "application/json", body)).isEmpty();
 * </pre>
 * The spec is loaded once per JVM (about 5 s), cut down to the fine-tuning, files, uploads, models and
 * chat-completions paths and the components they use. So that the validator reads it as its authors meant, it is
 * adapted in memory, never on disk: the reserved {@code x-oai-} extension prefix is renamed; the document is read
 * as OpenAPI 3.0, which its constructs are ({@code nullable}, boolean {@code exclusiveMinimum}), with 3.1's
 * {@code const} and {@code anyOf [X, null]} rewritten in 3.0 terms; discriminators get the {@code mapping} the spec
 * leaves out; and the validator's own strictness (an implicit {@code additionalProperties: false}) is switched off,
 * while explicit {@code additionalProperties: false} still counts. Known defects of the spec are tolerated by the
 * named rules of {@link #KNOWN_DEFECTS}, each matching only the exact finding it documents; {@link Findings} lists
 * what they tolerated.
 */
public final class OpenApiContract {
    public static final String SPEC_PROPERTY = "finetune4j.spec";
    public static final Path DEFAULT_SPEC = Path.of("..", "shared", "spec", "openapi.yaml");
    /** The path prefixes kept from the spec. */
    public static final List<String> PATH_PREFIXES = List.of("/fine_tuning", "/files", "/uploads", "/models",
            "/chat/completions");

    /** Component schemas that {@link #violationsForSchema} checks on their own (e.g. a streamed chunk, an error body). */
    public static final List<String> SCHEMAS = List.of("CreateChatCompletionStreamResponse", "ErrorResponse",
            "FineTuningJob", "FineTuningJobEvent", "FineTuningJobCheckpoint", "FineTuningCheckpointPermission",
            "OpenAIFile", "Upload", "UploadPart", "Model");
    /**
     * Each of {@link #SCHEMAS} is reachable in memory as the 200 answer of {@code GET /v1/finetune4j-schema/<name>}
     * (operation id {@code schema:<name>}), so it is checked by the same validator, adaptations and rules.
     */
    private static final String SCHEMA_PATH = "/finetune4j-schema/";

    /** A spec defect the contract tolerates: a name, why it is a defect, and the rule matching exactly that. */
    public record KnownDefect(String name, String why, WhitelistRule rule) {}

    /** Every tolerated defect. Add to this list only with a reason; never widen a rule beyond its finding. */
    public static final List<KnownDefect> KNOWN_DEFECTS = List.of(
            new KnownDefect("job-status-paused",
                    "The real service answers status 'paused' for a paused job (the spec's own pause example shows it),"
                            + " but FineTuningJob.status's enum lacks it (reference 4.4).",
                    WhitelistRules.allOf(WhitelistRules.isResponse(),
                            operationIs("listPaginatedFineTuningJobs", "retrieveFineTuningJob", "cancelFineTuningJob",
                                    "pauseFineTuningJob", "resumeFineTuningJob", "schema:FineTuningJob"),
                            WhitelistRules.messageHasKey("validation.response.body.schema.enum"),
                            messageFinds("^\\[Path '(/data/\\d+)?/status'\\] Instance value \\(\"paused\"\\) not found in enum"))),
            new KnownDefect("event-data-null",
                    "FineTuningJobEvent.data is typed object (not nullable), but the spec's own list-events examples"
                            + " send \"data\": null for plain message events (reference 4.5).",
                    WhitelistRules.allOf(WhitelistRules.isResponse(),
                            operationIs("listFineTuningEvents", "schema:FineTuningJobEvent"),
                            WhitelistRules.messageHasKey("validation.response.body.schema.type"),
                            messageFinds("^\\[Path '(/data/\\d+)?/data'\\] Instance type \\(null\\) does not match"))),
            new KnownDefect("file-content-is-bytes",
                    "GET /files/{id}/content returns the raw file bytes, but the spec labels them application/json"
                            + " with a string schema; the SDKs ask with Accept: application/binary (reference 2.3).",
                    WhitelistRules.allOf(operationIs("downloadFile"),
                            WhitelistRules.anyOf(
                                    WhitelistRules.messageHasKey("validation.request.accept.notAllowed"),
                                    WhitelistRules.messageHasKey("validation.response.contentType.notAllowed"),
                                    WhitelistRules.messageHasKey("validation.response.body.schema.type"),
                                    WhitelistRules.messageHasKey("validation.response.body.schema.invalidJson")))));

    /** Matches messages about the operations with these {@code operationId}s. */
    static WhitelistRule operationIs(String... operationIds) {
        Set<String> ids = Set.of(operationIds);
        return (message, operation, request, response) -> operation != null && operation.getOperation() != null
                && ids.contains(operation.getOperation().getOperationId());
    }

    /** Matches messages in which the regular expression is found. */
    static WhitelistRule messageFinds(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return (message, operation, request, response) -> pattern.matcher(message.getMessage()).find();
    }

    private static volatile OpenApiContract instance;

    private final OpenApiInteractionValidator validator;
    private final JsonNode fullPaths;

    private OpenApiContract(OpenApiInteractionValidator validator, JsonNode fullPaths) {
        this.validator = validator;
        this.fullPaths = fullPaths;
    }

    /** The spec file to use: the {@code finetune4j.spec} property, else {@code ../shared/spec/openapi.yaml}. */
    public static Path specPath() {
        String property = System.getProperty(SPEC_PROPERTY);
        return property != null && !property.isBlank() ? Path.of(property) : DEFAULT_SPEC;
    }

    /** True when the spec file is present. */
    public static boolean available() {
        return Files.isRegularFile(specPath());
    }

    /** The shared instance, loaded on first use; skips the calling test (JUnit assumption) when the spec is absent. */
    public static OpenApiContract get() {
        Path spec = specPath();
        Assumptions.assumeTrue(Files.isRegularFile(spec), () -> "OpenAPI spec not found at "
                + spec.toAbsolutePath() + " (set -D" + SPEC_PROPERTY + "=...): contract check skipped");
        OpenApiContract c = instance;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                c = instance;
                if (c == null) instance = c = load(spec);
            }
        }
        return c;
    }

    /** What a check found: violations, and the findings that {@link #KNOWN_DEFECTS} tolerated (rule name first). */
    public record Findings(List<String> violations, List<String> tolerated) {}

    /**
     * Violations of a request. {@code path} is the full request path including {@code /v1}; {@code query} and
     * {@code headers} may be null; {@code body} is the raw body or null.
     */
    public List<String> violationsForRequest(String method, String path, Map<String, List<String>> query,
                                             Map<String, List<String>> headers, String body) {
        return checkRequest(method, path, query, headers, body).violations();
    }

    /** Violations of a response to {@code method path} (full path including {@code /v1}). */
    public List<String> violationsForResponse(String method, String path, int status, String contentType,
                                              String body) {
        return checkResponse(method, path, status, contentType, body).violations();
    }

    /** As {@link #violationsForRequest}, also listing what the known-defect rules tolerated. */
    public Findings checkRequest(String method, String path, Map<String, List<String>> query,
                                 Map<String, List<String>> headers, String body) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(method.toUpperCase(Locale.ROOT), path);
        if (query != null) query.forEach(b::withQueryParam);
        if (headers != null) headers.forEach(b::withHeader);
        if (body != null) b.withBody(body);
        return findings(validator.validateRequest(b.build()));
    }

    /** As {@link #violationsForResponse}, also listing what the known-defect rules tolerated. */
    public Findings checkResponse(String method, String path, int status, String contentType, String body) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(status);
        if (contentType != null) b.withContentType(contentType);
        if (body != null) b.withBody(body);
        return findings(validator.validateResponse(path, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)),
                b.build()));
    }

    /**
     * Violations of a JSON value against one of the spec's component schemas listed in {@link #SCHEMAS}, e.g. a
     * streamed chunk ({@code CreateChatCompletionStreamResponse}, which the validator does not read out of an
     * event stream) or an error body on any status ({@code ErrorResponse}, which the spec attaches to one
     * operation only).
     */
    public List<String> violationsForSchema(String schema, String json) {
        if (!SCHEMAS.contains(schema)) throw new IllegalArgumentException("not in OpenApiContract.SCHEMAS: " + schema);
        return violationsForResponse("GET", "/v1" + SCHEMA_PATH + schema, 200, "application/json", json);
    }

    /**
     * The example responses of an operation's {@code x-oaiMeta} (as written in the spec: examples are not normative,
     * some are not even strict JSON). {@code pathTemplate} is the spec's path, e.g. {@code /fine_tuning/jobs/{fine_tuning_job_id}}.
     */
    public List<String> exampleResponses(String method, String pathTemplate) {
        JsonNode operation = fullPaths.path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) throw new IllegalArgumentException("no operation " + method + " " + pathTemplate);
        List<String> out = new ArrayList<>();
        JsonNode examples = operation.path("x-oaiMeta").path("examples");
        if (examples.isObject()) examples = new ObjectMapper().createArrayNode().add(examples);
        for (JsonNode example : examples) {
            JsonNode response = example.path("response");
            if (response.isTextual()) out.add(response.asText());
        }
        return out;
    }

    private static Findings findings(ValidationReport report) {
        List<String> violations = new ArrayList<>();
        List<String> tolerated = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            String rule = m.getContext().flatMap(ValidationReport.MessageContext::getAppliedWhitelistRule)
                    .map(r -> r.getName()).orElse(null);
            if (rule != null) tolerated.add(rule + ": " + describe(m));
            else if (m.getLevel() == ValidationReport.Level.ERROR) violations.add(describe(m));
        }
        return new Findings(violations, tolerated);
    }

    private static String describe(ValidationReport.Message m) {
        StringBuilder sb = new StringBuilder(m.getKey()).append(": ").append(m.getMessage());
        for (String info : m.getAdditionalInfo()) sb.append(" | ").append(info);
        for (ValidationReport.Message nested : m.getNestedMessages()) sb.append(" | ").append(nested.getMessage());
        return sb.toString();
    }

    private static OpenApiContract load(Path spec) {
        try {
            ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                    .loaderOptions(largeDocuments()).build());
            JsonNode root = yaml.readTree(spec.toFile());
            JsonNode fullPaths = root.get("paths");
            ObjectNode trimmed = trim(root);
            renameReservedExtensions(trimmed);
            readAsOpenApi30(trimmed);
            addDiscriminatorMappings(trimmed);
            String json = new ObjectMapper().writeValueAsString(trimmed);
            ValidationErrorsWhitelist whitelist = ValidationErrorsWhitelist.create();
            for (KnownDefect d : KNOWN_DEFECTS) whitelist = whitelist.withRule(d.name(), d.rule());
            OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(json)
                    .withBasePathOverride("/v1")
                    .withWhitelist(whitelist)
                    // The validator would add additionalProperties:false to every schema that does not set it;
                    // the spec does not say that (and responses carry newer fields), so only explicit ones count.
                    .withLevelResolver(LevelResolverFactory.withAdditionalPropertiesIgnored())
                    .build();
            return new OpenApiContract(validator, fullPaths);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI spec " + spec.toAbsolutePath(), e);
        }
    }

    private static org.yaml.snakeyaml.LoaderOptions largeDocuments() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        return options;
    }

    /** Keeps the wanted paths and, transitively, the components they reference; drops the examples' prose. */
    private static ObjectNode trim(JsonNode root) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        for (String key : List.of("openapi", "info", "servers", "security")) {
            if (root.has(key)) out.set(key, root.get(key));
        }
        ObjectNode paths = out.putObject("paths");
        root.get("paths").fields().forEachRemaining(e -> {
            if (PATH_PREFIXES.stream().anyMatch(p -> e.getKey().equals(p) || e.getKey().startsWith(p + "/"))) {
                ObjectNode item = e.getValue().deepCopy();
                item.forEach(op -> {
                    if (op.isObject()) ((ObjectNode) op).remove("x-oaiMeta");
                });
                paths.set(e.getKey(), item);
            }
        });
        for (String schema : SCHEMAS) {
            ObjectNode get = paths.putObject(SCHEMA_PATH + schema).putObject("get");
            get.put("operationId", "schema:" + schema);
            get.putObject("responses").putObject("200").put("description", "the schema alone")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/" + schema);
        }
        JsonNode components = root.path("components");
        ObjectNode keptComponents = out.putObject("components");
        if (components.has("securitySchemes")) keptComponents.set("securitySchemes", components.get("securitySchemes"));
        Set<String> seen = new LinkedHashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.add(paths);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()) {
                JsonNode ref = node.get("$ref");
                if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/")) {
                    String[] parts = ref.asText().substring("#/components/".length()).split("/", 2);
                    if (seen.add(ref.asText())) {
                        JsonNode target = components.path(parts[0]).path(unescape(parts[1]));
                        if (!target.isMissingNode()) {
                            ((ObjectNode) keptComponents.with(parts[0])).set(unescape(parts[1]), target);
                            pending.push(target);
                        }
                    }
                }
            }
            if (node.isContainerNode()) node.forEach(pending::push);
        }
        return out;
    }

    private static String unescape(String pointer) {
        return pointer.replace("~1", "/").replace("~0", "~");
    }

    /**
     * The file says 3.1.0 but is written in 3.0 terms ({@code nullable: true}, boolean {@code exclusiveMinimum}),
     * plus 3.1's {@code type: "null"} branches. Read as 3.1, the validator drops every {@code type} (so "auto"
     * passes as a number); read as 3.0, all of these work, {@code "null"} being a JSON-Schema-draft-4 type too.
     * Only {@code const} needs rewriting, as a one-value {@code enum}; 3.1's {@code info.license.identifier} goes.
     * The 3.0 loader is strict about unknown schema keywords, which exposes one spec defect: the score-model
     * grader's {@code range.items} carries {@code min_items}/{@code max_items} (meant as {@code minItems}/
     * {@code maxItems} of {@code range}, misspelled and misplaced); they are dropped, which is what a lenient
     * reader does anyway.
     */
    private static void readAsOpenApi30(ObjectNode root) {
        root.put("openapi", "3.0.3");
        JsonNode license = root.path("info").path("license");
        if (license instanceof ObjectNode l) l.remove("identifier");
        rewriteSchemaKeywords(root);
        rewriteNullBranches(root);
        rewriteNullableRefs(root);
    }

    /**
     * The spec also marks references nullable in two 3.1-only ways: {@code {$ref: X, nullable: true}} (3.0 ignores
     * siblings of {@code $ref}) and {@code allOf: [{$ref: X}, {nullable: true}]} (null then fails the X branch). A
     * chunk's {@code usage: null} or a pending upload's {@code file: null} would be reported. Both become
     * {@code anyOf: [{$ref: X}, {type: "null"}]}.
     */
    private static void rewriteNullableRefs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            String ref = null;
            if (object.has("$ref") && object.path("nullable").asBoolean(false)) {
                ref = object.remove("$ref").asText();
                object.remove("nullable");
            } else if (object.path("allOf").isArray() && object.get("allOf").size() == 2) {
                JsonNode first = object.get("allOf").get(0), second = object.get("allOf").get(1);
                boolean onlyNullable = second.path("nullable").asBoolean(false) && second.size()
                        == (second.has("description") ? 2 : 1);
                if (first.has("$ref") && first.size() == 1 && onlyNullable) {
                    ref = first.get("$ref").asText();
                    object.remove("allOf");
                }
            }
            if (ref != null) {
                ObjectMapper json = new ObjectMapper();
                object.set("anyOf", json.createArrayNode().add(json.createObjectNode().put("$ref", ref))
                        .add(json.createObjectNode().put("type", "null")));
            }
        }
        if (node != null && node.isContainerNode()) node.forEach(OpenApiContract::rewriteNullableRefs);
    }

    /**
     * {@code anyOf: [{type: string, ...}, {type: "null"}]} is 3.1's way to say "nullable"; the 3.0 reader turns
     * such a property into an object schema (a valid date string then fails as "not an object"). Rewritten in
     * 3.0 terms: the inline branch itself, with {@code nullable: true}. Unions with several non-null branches or a
     * {@code $ref} branch are left as they are (the null branch validates as JSON Schema's own null type there).
     */
    private static void rewriteNullBranches(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String combinator : List.of("anyOf", "oneOf")) {
                JsonNode branches = object.get(combinator);
                if (branches == null || !branches.isArray() || branches.size() != 2) continue;
                JsonNode nullBranch = null, other = null;
                for (JsonNode b : branches) {
                    if ("null".equals(b.path("type").asText(null))) nullBranch = b;
                    else other = b;
                }
                if (nullBranch == null || !(other instanceof ObjectNode inline) || inline.has("$ref")
                        || !inline.has("type")) {
                    continue;
                }
                object.remove(combinator);
                inline.fields().forEachRemaining(e -> {
                    if (!object.has(e.getKey())) object.set(e.getKey(), e.getValue());
                });
                object.put("nullable", true);
            }
        }
        if (node != null && node.isContainerNode()) node.forEach(OpenApiContract::rewriteNullBranches);
    }

    private static void rewriteSchemaKeywords(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("const") && !object.has("enum") && object.get("const").isValueNode()) {
                object.set("enum", new ObjectMapper().createArrayNode().add(object.remove("const")));
            }
            if (object.has("type") && object.get("type").isTextual()) {
                object.remove("min_items");
                object.remove("max_items");
            }
        }
        if (node != null && node.isContainerNode()) node.forEach(OpenApiContract::rewriteSchemaKeywords);
    }

    /**
     * The spec's discriminators ({@code propertyName: role}, {@code type}, ...) have no {@code mapping}, so by the
     * OpenAPI rules a value must equal a schema name ({@code "user"} would have to be a schema called
     * {@code user}), and the validator rejects every message. Each branch names its value in the property's
     * one-value enum; the mapping is built from those. A discriminator whose branches do not all say their value
     * is removed (the oneOf still validates each branch).
     */
    private static void addDiscriminatorMappings(ObjectNode root) {
        JsonNode schemas = root.path("components").path("schemas");
        List<ObjectNode> owners = new ArrayList<>();
        collectDiscriminators(root, owners);
        for (ObjectNode owner : owners) {
            ObjectNode discriminator = (ObjectNode) owner.get("discriminator");
            if (discriminator.has("mapping")) continue;
            String property = discriminator.path("propertyName").asText();
            JsonNode branches = owner.has("oneOf") ? owner.get("oneOf") : owner.get("anyOf");
            ObjectNode mapping = new ObjectMapper().createObjectNode();
            boolean complete = branches != null && branches.isArray();
            if (complete) {
                for (JsonNode branch : branches) {
                    String ref = branch.path("$ref").asText("");
                    JsonNode values = ref.startsWith("#/components/schemas/")
                            ? schemas.path(unescape(ref.substring("#/components/schemas/".length())))
                                    .path("properties").path(property).path("enum")
                            : null;
                    if (values == null || !values.isArray() || values.isEmpty()) {
                        complete = false;
                        break;
                    }
                    for (JsonNode v : values) mapping.put(v.asText(), ref);
                }
            }
            if (complete) discriminator.set("mapping", mapping);
            else owner.remove("discriminator");
        }
    }

    private static void collectDiscriminators(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode object && object.get("discriminator") instanceof ObjectNode) out.add(object);
        if (node != null && node.isContainerNode()) node.forEach(child -> collectDiscriminators(child, out));
    }

    /** The validator refuses the reserved {@code x-oai-} prefix: rename every such key to {@code x-openai-}. */
    private static void renameReservedExtensions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> reserved = new ArrayList<>();
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (name.startsWith("x-oai-")) reserved.add(name);
            }
            for (String name : reserved) object.set("x-openai-" + name.substring(6), object.remove(name));
        }
        if (node != null && node.isContainerNode()) node.forEach(OpenApiContract::renameReservedExtensions);
    }

}
