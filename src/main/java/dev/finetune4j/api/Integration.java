package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/** A job integration; the only type is {@code wandb} (Weights &amp; Biases). */
public record Integration(String type, Wandb wandb,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Integration {
        extra = Extra.of(extra);
    }

    /** Weights &amp; Biases settings: the project is required, the rest may be null. */
    public record Wandb(String project, @JsonInclude(Include.NON_NULL) String name,
                        @JsonInclude(Include.NON_NULL) String entity,
                        @JsonInclude(Include.NON_NULL) List<String> tags,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Wandb {
            extra = Extra.of(extra);
        }
    }
}
