package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** A job integration; the only type is {@code wandb} (Weights &amp; Biases). */
public record Integration(String type, Wandb wandb,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Integration {
        extra = Extra.of(extra);
    }

    /** Weights &amp; Biases settings: the project is required, the rest may be null. */
    public record Wandb(String project, String name, String entity, List<String> tags,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Wandb {
            extra = Extra.of(extra);
        }
    }
}
