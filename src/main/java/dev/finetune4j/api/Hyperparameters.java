package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * Hyperparameters of any method. Each value is either the string {@code "auto"} or a number (or, for
 * {@code reasoning_effort}, a string), so values are kept as {@code Object}; absent ones are null and omitted.
 *
 * @param batchSize {@code batch_size}: examples per training step
 * @param learningRateMultiplier {@code learning_rate_multiplier}: the multiplier of the base learning rate
 * @param nEpochs {@code n_epochs}: passes over the training file
 * @param beta DPO: how far the model may move from the reference model
 * @param reasoningEffort reinforcement: {@code low}, {@code medium} or {@code high}
 * @param computeMultiplier {@code compute_multiplier}, reinforcement: the compute spent exploring
 * @param evalInterval {@code eval_interval}, reinforcement: steps between evaluation runs
 * @param evalSamples {@code eval_samples}, reinforcement: samples per evaluation
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
@JsonInclude(Include.NON_NULL)
public record Hyperparameters(Object batchSize, Object learningRateMultiplier, Object nEpochs, Object beta,
                              Object reasoningEffort, Object computeMultiplier, Object evalInterval,
                              Object evalSamples,
                              @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The value that leaves a hyperparameter to the service: {@code "auto"}. */
    public static final String AUTO = "auto";

    /** Reads a null {@code extra} as an empty map. */
    public Hyperparameters {
        extra = Extra.of(extra);
    }

    /** The supervised trio, as the job object reports it. */
    public static Hyperparameters of(Object batchSize, Object learningRateMultiplier, Object nEpochs) {
        return new Hyperparameters(batchSize, learningRateMultiplier, nEpochs, null, null, null, null, null, null);
    }

    /** Named values instead of the record's nine positions: {@code Hyperparameters.builder().nEpochs(3).beta(0.1).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Hyperparameters}; a value not set is left to the service ({@code auto}). */
    public static final class Builder {
        private Object batchSize;
        private Object learningRateMultiplier;
        private Object nEpochs;
        private Object beta;
        private Object reasoningEffort;
        private Object computeMultiplier;
        private Object evalInterval;
        private Object evalSamples;

        private Builder() {}

        /** Examples per step. */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** The multiplier of the base learning rate. */
        public Builder learningRateMultiplier(double value) {
            learningRateMultiplier = value;
            return this;
        }

        /** Passes over the training file. */
        public Builder nEpochs(int value) {
            nEpochs = value;
            return this;
        }

        /** DPO: how far the model may move from the reference model. */
        public Builder beta(double value) {
            beta = value;
            return this;
        }

        /** Reinforcement: {@code low}, {@code medium} or {@code high}. */
        public Builder reasoningEffort(String value) {
            reasoningEffort = value;
            return this;
        }

        /** Reinforcement: the compute spent exploring during training. */
        public Builder computeMultiplier(double value) {
            computeMultiplier = value;
            return this;
        }

        /** Reinforcement: steps between evaluation runs. */
        public Builder evalInterval(int value) {
            evalInterval = value;
            return this;
        }

        /** Reinforcement: samples per evaluation. */
        public Builder evalSamples(int value) {
            evalSamples = value;
            return this;
        }

        /** The hyperparameters; those not set are null and left out of the JSON. */
        public Hyperparameters build() {
            return new Hyperparameters(batchSize, learningRateMultiplier, nEpochs, beta, reasoningEffort,
                    computeMultiplier, evalInterval, evalSamples, null);
        }
    }
}
