// Chat with a fine-tuned model: through the facade (one line), through the plain client (system messages,
// conversations, sampling, the Python SDK's dict form), streamed token by token, how temperature changes
// the answers, and how sure the model is of each token (log-probabilities).
//
//   scripts/ftshell scripts/chat.jsh        (from the project folder)
//
// Charts: target/plots/chat-loss.png, target/plots/chat-temperature.png.

import java.nio.file.*;
import java.util.*;

// A script must fail loudly: a check that does not hold throws (scripts/ftshell then exits non-zero) and is
// counted for the exit status at the end.
int failedChecks = 0;
void check(boolean ok, String what) {
    if (ok) {
        System.out.println("  ok: " + what);
        return;
    }
    failedChecks++;
    throw new IllegalStateException("check failed: " + what);
}

System.out.println(ft.where());

// ---------------------------------------------------------------------------------------------------------------
// 1. A model to talk to: the 20 capitals of the sample data, learnt by heart (250 steps, well under a minute).
//    Any fine-tuned model works the same: re-attach to an earlier job with ft.run("ftjob-...") and use its model.
Path capitals = Files.createDirectories(Path.of("target/chat")).resolve("capitals.jsonl");
Files.write(capitals, Files.readAllLines(Path.of("data/sample_train.jsonl")).stream().filter(l -> l.contains("capital of")).toList());
var run = ft.job("nano").train(capitals.toString()).epochs(50).batchSize(4).lrMultiplier(6).seed(1).
        suffix("capitals").metadata("example", "chat").create().await();
String model = run.model();
System.out.println("fine-tuned model: " + model);
Charts.save(run.plot(), "target/plots/chat-loss.png");

// ---------------------------------------------------------------------------------------------------------------
// 2. The facade: run.chat(prompt) sends the question as the only message, greedy decoding (temperature 0), and
//    returns the answer; ft.chat(model, prompt) does the same for any model. This model learnt every answer after
//    the system message "Answer briefly.": asked without it, it is lost.
String bare = run.chat("What is the capital of Japan?");
System.out.println("Q: What is the capital of Japan?   A: " + bare);

// ---------------------------------------------------------------------------------------------------------------
// 3. The plain client, as in the OpenAI SDKs: ask the way the model learnt, system message first. The completion
//    carries why it stopped (finish_reason: stop at the end of the answer, length when it ran out of tokens) and the
//    tokens it took.
var client = ft.client();
var params = ChatCompletionCreateParams.builder().
        model(model).
        addSystemMessage("Answer briefly.").
        addUserMessage("What is the capital of Kenya?").
        temperature(0).
        build();
var completion = client.chat().completions().create(params);
var usage = completion.usage();
System.out.println("A: " + completion.text() + "   (finish_reason: " + completion.choices().get(0).finishReason()
        + "; tokens: " + usage.promptTokens() + " in the prompt, " + usage.completionTokens() + " in the answer, "
        + usage.totalTokens() + " in all)");

// The same request in the Python SDK's dict form: client.chat.completions.create(model=..., messages=[...]).
var fromMap = client.chat().completions().create(Map.of(
        "model", model,
        "messages", List.of(
                Map.of("role", "system", "content", "Answer briefly."),
                Map.of("role", "user", "content", "What is the capital of Norway?")),
        "temperature", 0));
System.out.println("A: " + fromMap.text());

// ---------------------------------------------------------------------------------------------------------------
// 4. Streaming: the answer arrives in chunks as the model writes it (server-sent events).
System.out.print("streamed: ");
StringBuilder streamed = new StringBuilder();
int chunks = 0;
try (var stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder().
        model(model).addSystemMessage("Answer briefly.").addUserMessage("What is the capital of Argentina?").
        temperature(0).build())) {
    for (var chunk : stream) {
        for (var choice : chunk.choices()) {
            if (choice.delta() != null && choice.delta().content() != null) {
                System.out.print(choice.delta().content());
                streamed.append(choice.delta().content());
                chunks++;
            }
        }
    }
}
System.out.println("   (" + chunks + " chunks)");

// ---------------------------------------------------------------------------------------------------------------
// 5. Temperature: 20 samples of the same question per temperature. At 0 the model always gives its most likely
//    answer; the higher the temperature, the more often it picks less likely tokens and goes astray. The local models'
//    tokens are bytes, so a sample can pick a byte that is only part of a UTF-8 character, which prints as a
//    replacement character.
String question = "What is the capital of Australia?";
double[] temperatures = {0.0, 0.5, 1.0, 1.5, 2.0};
List<Double> correctShare = new ArrayList<>();
for (double t : temperatures) {
    var samples = client.chat().completions().create(ChatCompletionCreateParams.builder().
            model(model).addSystemMessage("Answer briefly.").addUserMessage(question).
            temperature(t).n(20).seed(7).maxCompletionTokens(16).build());
    long correct = samples.choices().stream().filter(c -> "Canberra.".equals(c.message().text())).count();
    correctShare.add(correct / 20.0);
    System.out.printf("temperature %.1f: %2d of 20 say Canberra, e.g. %s%n", t, correct,
            samples.choices().stream().map(c -> c.message().text()).distinct().limit(4).toList());
}
var chart = new CategoryChartBuilder().width(800).height(400).
        title("'" + question + "': 20 samples per temperature").xAxisTitle("temperature").yAxisTitle("share correct").build();
chart.getStyler().setLegendVisible(false);
chart.addSeries("correct", Arrays.stream(temperatures).boxed().map(t -> String.format("%.1f", t)).toList(), correctShare);
Charts.save(chart, "target/plots/chat-temperature.png");
System.out.println("chart: target/plots/chat-temperature.png");

// ---------------------------------------------------------------------------------------------------------------
// 6. How sure is the model? run.logprobs(prompt) asks for the greedy answer with its log-probabilities: a row per
//    token (here a byte) with its probability and the five most likely tokens at that position. Asked without the
//    system message (section 2), it guesses, unsure of many tokens. Asked the way it learnt, it is far surer: the first
//    token, which picks one of the capitals it learnt, still has rivals; once the answer has begun, it is nearly sure
//    of every token.
var lost = run.logprobs("What is the capital of Japan?");
System.out.println(lost.print());
ft.systemPrompt("Answer briefly.");
var known = run.logprobs("What is the capital of Kenya?");
System.out.println(known.print());
double knownMean = known.doubleColumn("probability").mean();
double lostMean = lost.doubleColumn("probability").mean();
System.out.printf("mean token probability: %.3f (as learnt) against %.3f (without the system message)%n", knownMean, lostMean);

// The same through the plain client: logprobs(true) and topLogprobs(k), as in the OpenAI SDKs. logitBias moves the
// odds of tokens by id (for local models the ids are the UTF-8 bytes): -100 rules a token out.
var scored = client.chat().completions().create(ChatCompletionCreateParams.builder().
        model(model).addSystemMessage("Answer briefly.").addUserMessage("What is the capital of Kenya?").
        temperature(0).logprobs(true).topLogprobs(3).build());
var first = scored.choices().get(0).logprobs().content().get(0);
System.out.printf("first token %s: p=%.3f, alternatives %s%n", first.token(), first.probability(),
        first.topLogprobs().stream().map(a -> a.token() + String.format(" %.3f", a.probability())).toList());
var biased = client.chat().completions().create(ChatCompletionCreateParams.builder().
        model(model).addSystemMessage("Answer briefly.").addUserMessage("What is the capital of Kenya?").
        temperature(0).logitBias(Map.of((int) 'N', -100)).build());
System.out.println("with 'N' ruled out: " + biased.text());

check(completion.text().equals("Nairobi."), "the fine-tuned model knows the capital of Kenya");
check(String.join("", known.stringColumn("token").asList()).equals("Nairobi."), "the logprobs rows spell the answer");
check(knownMean > 0.8 && lostMean < knownMean, "the model is surer of an answer it learnt than of a guess");
check(known.where(known.intColumn("position").isGreaterThan(0)).doubleColumn("probability").min() > 0.8,
        "after the first token, the model is nearly sure of every token of the answer it learnt");
check(first.token().equals("N") && first.topLogprobs().get(0).token().equals("N"), "greedy takes the likeliest token");
check(!biased.text().startsWith("N"), "logit_bias -100 rules a token out");
check(fromMap.text().equals("Oslo."), "the dict form gives the same kind of answer");
check(streamed.toString().equals("Buenos Aires.") && chunks > 1, "the streamed answer arrives in several chunks");
check(correctShare.get(0) == 1.0, "at temperature 0 every sample is the most likely answer");
System.out.println(failedChecks == 0 ? "chat: all checks passed" : "chat: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
