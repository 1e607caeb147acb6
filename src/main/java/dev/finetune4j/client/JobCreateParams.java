package dev.finetune4j.client;

import dev.finetune4j.api.FineTuneMethod;
import dev.finetune4j.api.Hyperparameters;
import dev.finetune4j.api.Integration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /fine_tuning/jobs}. Typed setters for every field; free-JSON fields (hyperparameters,
 * method, integrations, metadata) also take plain maps so the Python SDK's dicts paste over. Example:
 * {@code JobCreateParams.builder().model("gpt-4o-mini").trainingFile(file.id()).method(Map.of("type", "dpo")).build()}.
 */
public final class JobCreateParams {
    private final Map<String, Object> values;

    private JobCreateParams(Map<String, Object> values) {
        Params.require(values, "fine-tuning job", "model", "training_file");
        this.values = Params.frozen(values);
    }

    /** Starts an empty body; {@code model} and {@code trainingFile} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Takes the body as a map with the API's snake_case keys: {@code Map.of("model", "...", "training_file", id)}. */
    public static JobCreateParams of(Map<String, ?> body) {
        Map<String, Object> copy = Params.copy(body);
        copy.replaceAll((k, v) -> Params.toJson(v));
        return new JobCreateParams(copy);
    }

    /** The JSON body, snake_case keys. */
    public Map<String, Object> toMap() {
        return values;
    }

    @Override
    public String toString() {
        return "JobCreateParams" + values;
    }

    /** Builds {@link JobCreateParams}; {@code model} and {@code trainingFile} are required. */
    public static final class Builder {
        private final Map<String, Object> values = new java.util.LinkedHashMap<>();

        private Builder() {}

        /** Base model (or a fine-tuned model to continue from), e.g. {@code "gpt-4o-mini"}. */
        public Builder model(String model) {
            values.put("model", model);
            return this;
        }

        /** ID of an uploaded JSONL file with purpose {@code fine-tune}. */
        public Builder trainingFile(String fileId) {
            values.put("training_file", fileId);
            return this;
        }

        /** {@code validation_file}: ID of an uploaded JSONL file the job computes validation metrics on. */
        public Builder validationFile(String fileId) {
            values.put("validation_file", fileId);
            return this;
        }

        /** Up to 64 characters added to the fine-tuned model's name. */
        public Builder suffix(String suffix) {
            values.put("suffix", suffix);
            return this;
        }

        /** {@code seed}: makes the job reproducible; the service picks one when not set. */
        public Builder seed(long seed) {
            values.put("seed", seed);
            return this;
        }

        /** Deprecated top-level hyperparameters, e.g. {@code Map.of("n_epochs", 3)}; prefer {@link #method}. */
        public Builder hyperparameters(Map<String, ?> hyperparameters) {
            values.put("hyperparameters", Params.toJson(hyperparameters));
            return this;
        }

        /** As {@link #hyperparameters(Map)}, typed; deprecated by the API, prefer {@link #method(FineTuneMethod)}. */
        public Builder hyperparameters(Hyperparameters hyperparameters) {
            values.put("hyperparameters", Params.toMap(hyperparameters));
            return this;
        }

        /** The method, e.g. {@code Map.of("type", "dpo", "dpo", Map.of("hyperparameters", Map.of("beta", 0.1)))}. */
        public Builder method(Map<String, ?> method) {
            values.put("method", Params.toJson(method));
            return this;
        }

        /** The method, typed: {@code method(FineTuneMethod.dpo(Hyperparameters.builder().beta(0.1).build()))}. */
        public Builder method(FineTuneMethod method) {
            values.put("method", Params.toMap(method));
            return this;
        }

        /** Integrations as maps: {@code List.of(Map.of("type", "wandb", "wandb", Map.of("project", "p")))}. */
        public Builder integrations(List<?> integrations) {
            values.put("integrations", Params.toJson(integrations));
            return this;
        }

        /** Adds one integration to {@code integrations}, e.g. a {@code wandb} project to log metrics to. */
        @SuppressWarnings("unchecked")
        public Builder addIntegration(Integration integration) {
            Object current = values.get("integrations");
            List<Object> list = current instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
            list.add(Params.toMap(integration));
            values.put("integrations", list);
            return this;
        }

        /** Up to 16 string pairs stored with the job; filter on them with {@code JobListParams.metadata}. */
        public Builder metadata(Map<String, String> metadata) {
            values.put("metadata", metadata == null ? null : Map.copyOf(metadata));
            return this;
        }

        /** Any other body field, for API features this builder does not name yet. */
        public Builder put(String key, Object value) {
            values.put(key, Params.toJson(value));
            return this;
        }

        /** The body; throws {@link IllegalArgumentException} without {@code model} or {@code training_file}. */
        public JobCreateParams build() {
            return new JobCreateParams(values);
        }
    }
}
