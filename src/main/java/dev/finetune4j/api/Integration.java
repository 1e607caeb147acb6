package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * A job integration; the only type is {@code wandb} (Weights &amp; Biases).
 *
 * @param type always {@code wandb}
 * @param wandb the Weights &amp; Biases settings
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record Integration(String type, Wandb wandb,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** Reads a null {@code extra} as an empty map. */
    public Integration {
        extra = Extra.of(extra);
    }

    /**
     * Weights &amp; Biases settings: the project is required, the rest may be null.
     *
     * @param project the project the job's metrics are logged to
     * @param name the run's display name; null lets the service use the job id
     * @param entity the team or user owning the run; null for the API key's default entity
     * @param tags tags of the run, or null
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    public record Wandb(String project, @JsonInclude(Include.NON_NULL) String name,
                        @JsonInclude(Include.NON_NULL) String entity,
                        @JsonInclude(Include.NON_NULL) List<String> tags,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Wandb {
            extra = Extra.of(extra);
        }
    }
}
