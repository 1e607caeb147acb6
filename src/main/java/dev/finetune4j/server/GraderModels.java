package dev.finetune4j.server;

import dev.finetune4j.api.ChatMessage;
import dev.finetune4j.grade.ModelSampler;
import dev.finetune4j.grade.SamplingParams;
import java.util.List;

/**
 * The models {@code score_model} and {@code label_model} graders sample: any model the project may chat with, for
 * the graders run endpoint and for reinforcement jobs alike.
 */
final class GraderModels {
    private final ModelCatalog catalog;
    private final ChatModels chatModels;

    GraderModels(ModelCatalog catalog, ChatModels chatModels) {
        this.catalog = catalog;
        this.chatModels = chatModels;
    }

    /** A sampler for graders run on behalf of {@code caller}. */
    ModelSampler sampler(Caller caller) {
        return request -> complete(request, caller);
    }

    private ModelSampler.Completion complete(ModelSampler.Request request, Caller caller) throws Exception {
        ModelCatalog.Resolved model = catalog.resolve(request.model(), caller);
        if (model == null) throw new IllegalArgumentException(ModelRoutes.notFound(request.model()).getMessage());
        Engine.Chatbot bot = chatModels.get(model.config(), model.weights());
        List<Engine.Message> messages = request.messages().stream()
                .map((ChatMessage m) -> new Engine.Message(m.role(), m.text() == null ? "" : m.text())).toList();
        SamplingParams p = request.samplingParams() == null ? SamplingParams.DEFAULT : request.samplingParams();
        if (p.reasoningEffort() != null) {
            // as chat completions refuse it: a score from a model that did not reason must not pass for one that did
            throw new IllegalArgumentException("sampling_params.reasoning_effort is not supported with " + request.model()
                    + ": the local models answer without reasoning first; leave it out");
        }
        Engine.Sampling sampling = new Engine.Sampling(p.temperature() == null ? 1.0 : p.temperature(),
                p.topP() == null ? 1.0 : p.topP(), p.maxCompletionsTokens(), List.of(),
                p.seed() == null ? System.nanoTime() : p.seed());
        Engine.Completion c;
        synchronized (bot) {
            c = bot.complete(messages, sampling, (text, logprobs) -> { });
        }
        return ModelSampler.Completion.of(c.text(), request.model(), c.promptTokens(), c.completionTokens());
    }
}
