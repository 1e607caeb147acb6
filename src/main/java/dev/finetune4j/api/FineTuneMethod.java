package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * The fine-tuning method of a job: {@code type} is {@code supervised}, {@code dpo} or {@code reinforcement}.
 *
 * @param type {@code supervised}, {@code dpo} or {@code reinforcement}
 * @param supervised the settings when {@code type} is {@code supervised}, else null
 * @param dpo the settings when {@code type} is {@code dpo}, else null
 * @param reinforcement the settings when {@code type} is {@code reinforcement}, else null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
@JsonInclude(Include.NON_NULL)
public record FineTuneMethod(String type, Settings supervised, Settings dpo, Reinforcement reinforcement,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** {@code type} of supervised fine-tuning: learning the answers of the training examples. */
    public static final String SUPERVISED = "supervised";
    /** {@code type} of preference fine-tuning (Direct Preference Optimization): preferred and rejected answers. */
    public static final String DPO = "dpo";
    /** {@code type} of reinforcement fine-tuning: answers scored by a grader. */
    public static final String REINFORCEMENT = "reinforcement";

    /** Reads a null {@code extra} as an empty map. */
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

    /**
     * Settings of the supervised and DPO methods.
     *
     * @param hyperparameters the method's hyperparameters; null leaves all to the service
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    @JsonInclude(Include.NON_NULL)
    public record Settings(Hyperparameters hyperparameters,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Settings {
            extra = Extra.of(extra);
        }
    }

    /**
     * Settings of the reinforcement method: a grader (free JSON, see the graders API) and hyperparameters.
     *
     * @param grader how sampled answers are scored, e.g. {@code Map.of("type", "string_check", ...)}
     * @param hyperparameters the method's hyperparameters; null leaves all to the service
     * @param extra fields the record does not name, kept as they came (and written back out)
     */
    @JsonInclude(Include.NON_NULL)
    public record Reinforcement(Map<String, Object> grader, Hyperparameters hyperparameters,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Reads a null {@code extra} as an empty map. */
        public Reinforcement {
            extra = Extra.of(extra);
        }
    }
}
