package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/** The fine-tuning method of a job: {@code type} is {@code supervised}, {@code dpo} or {@code reinforcement}. */
@JsonInclude(Include.NON_NULL)
public record FineTuneMethod(String type, Settings supervised, Settings dpo, Reinforcement reinforcement,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String SUPERVISED = "supervised";
    public static final String DPO = "dpo";
    public static final String REINFORCEMENT = "reinforcement";

    public FineTuneMethod {
        extra = Extra.of(extra);
    }

    /** Supervised fine-tuning: {@code FineTuneMethod.supervised(Hyperparameters.builder().nEpochs(3).build())}. */
    public static FineTuneMethod supervised(Hyperparameters hyperparameters) {
        return new FineTuneMethod(SUPERVISED, new Settings(hyperparameters, null), null, null, null);
    }

    /** Preference fine-tuning: {@code FineTuneMethod.dpo(Hyperparameters.builder().beta(0.1).build())}. */
    public static FineTuneMethod dpo(Hyperparameters hyperparameters) {
        return new FineTuneMethod(DPO, null, new Settings(hyperparameters, null), null, null);
    }

    /**
     * Reinforcement fine-tuning with a grader (as the graders API takes it):
     * {@code FineTuneMethod.reinforcement(Map.of("type", "string_check", ...), Hyperparameters.builder().build())}.
     */
    public static FineTuneMethod reinforcement(Map<String, Object> grader, Hyperparameters hyperparameters) {
        return new FineTuneMethod(REINFORCEMENT, null, null, new Reinforcement(grader, hyperparameters, null), null);
    }

    /** The hyperparameters of whichever method {@code type} names, or null. */
    public Hyperparameters hyperparameters() {
        if (SUPERVISED.equals(type) && supervised != null) return supervised.hyperparameters();
        if (DPO.equals(type) && dpo != null) return dpo.hyperparameters();
        if (REINFORCEMENT.equals(type) && reinforcement != null) return reinforcement.hyperparameters();
        return null;
    }

    /** Settings of the supervised and DPO methods. */
    @JsonInclude(Include.NON_NULL)
    public record Settings(Hyperparameters hyperparameters,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Settings {
            extra = Extra.of(extra);
        }
    }

    /** Settings of the reinforcement method: a grader (free JSON, see the graders API) and hyperparameters. */
    @JsonInclude(Include.NON_NULL)
    public record Reinforcement(Map<String, Object> grader, Hyperparameters hyperparameters,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Reinforcement {
            extra = Extra.of(extra);
        }
    }
}
