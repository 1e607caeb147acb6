// Reinforcement fine-tuning (RFT): the model answers each prompt several times, a grader scores the answers, and
// training makes the better-scored answers likelier. Here the grader checks the answer against a reference that
// the training file carries next to each prompt.
//
//   scripts/ftshell scripts/reinforcement.jsh        (from the project folder)
//
// On the local server a reinforcement job samples answers to each prompt from the small model (4 per unit of
// compute_multiplier: 16 here, as with auto) and grades them with the job's grader, exactly as the graders API
// would. OpenAI trains reasoning models this way; the calls are the same. The reward plot is saved as
// target/plots/reinforcement-rewards.png.

import java.nio.file.*;
import java.util.*;

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
// 1. From the sample chats: the chats themselves (without their system message: reinforcement files take user,
//    developer, assistant and tool messages), and prompts with the answer the grader expects as an extra field.
List<String> chats = new ArrayList<>(), prompts = new ArrayList<>();
for (String line : Files.readAllLines(Path.of("data/sample_train.jsonl"))) {
    var messages = Json.MAPPER.readTree(line).get("messages");
    var chat = Json.MAPPER.createObjectNode();
    chat.putArray("messages").add(messages.get(1)).add(messages.get(2));
    chats.add(Json.write(chat));
    var prompt = Json.MAPPER.createObjectNode();
    prompt.putArray("messages").add(messages.get(1));
    prompt.put("reference_answer", messages.get(2).get("content").asText()); // the grader reads {{item.reference_answer}}
    prompts.add(Json.write(prompt));
}
Files.createDirectories(Path.of("target"));
Files.write(Path.of("target/rft-chats.jsonl"), chats);
Files.write(Path.of("target/rft-prompts.jsonl"), prompts);
Files.write(Path.of("target/rft-valid.jsonl"), prompts);
System.out.println(prompts.get(0));

var report = ft.validate("target/rft-prompts.jsonl");
System.out.println(report);
check(report.ok() && report.format() == dev.finetune4j.data.Method.REINFORCEMENT, "a valid reinforcement file");

// ---------------------------------------------------------------------------------------------------------------
// 2. The grader, tried on its own with the graders API before a job uses it.
Map<String, Object> grader = Map.of("type", "string_check", "name", "exact", "operation", "eq",
        "input", "{{sample.output_text}}", "reference", "{{item.reference_answer}}");
var graders = ft.client().fineTuning().alpha().graders();
double right = graders.run(grader, "Paris.", Map.of("reference_answer", "Paris.")).reward();
double wrong = graders.run(grader, "Lyon.", Map.of("reference_answer", "Paris.")).reward();
System.out.printf("grader: %.1f for the right answer, %.1f for a wrong one%n", right, wrong);
check(right == 1 && wrong == 0, "the grader scores exact answers 1, others 0");

// ---------------------------------------------------------------------------------------------------------------
// 3. A supervised job first, so that the model answers at all (a model trained from scratch knows nothing), then
//    the reinforcement job from its model. The supervised job is kept short (24 epochs), so that the model knows
//    some answers and only samples others now and then: those are what reinforcement can reward.
var sft = ft.job("nano").train("target/rft-chats.jsonl").epochs(24).batchSize(4).lrMultiplier(6).seed(1).
        suffix("sft").create().await();
// The supervised model's greedy answers to all prompts, scored by the grader the reinforcement job will use: its
// right answers, for comparison at the end.
var sftEval = sft.evaluate("target/rft-prompts.jsonl", grader);
System.out.println(sftEval);
int before = sftEval.correct();
// 16 answers per prompt (compute_multiplier 4): the more answers, the likelier one of them is right. The trainer
// also holds the model near the supervised one (a KL penalty), so that the prompts whose answers all score the same
// keep what the model knew.
var rft = ft.job(sft.model()).train("target/rft-prompts.jsonl").validate("target/rft-valid.jsonl").
        reinforcement(grader).epochs(20).batchSize(8).lrMultiplier(1).hyperparameter("compute_multiplier", 4).seed(1).
        suffix("rft").create().await();
System.out.println(rft);

// The metrics: no loss, but the mean reward of the sampled answers at each step, and of the greedy answers to the
// validation prompts (every 10 steps and at each epoch's end); train_kl is how far, per token, the model has moved
// from the supervised one.
var metrics = rft.metrics();
System.out.println(metrics.first(3).print());
System.out.println(metrics.last(2).print());
Charts.save(rft.plot(), "target/plots/reinforcement-rewards.png");
System.out.println("reward plot: target/plots/reinforcement-rewards.png");

// ---------------------------------------------------------------------------------------------------------------
// 4. The last validation reward is the grader's verdict on the final model's greedy answers: evaluate them here.
var rftEval = rft.evaluate("target/rft-prompts.jsonl", grader);
System.out.println(rftEval);
int after = rftEval.correct();
double lastValid = metrics.doubleColumn("full_valid_reward_mean").get(metrics.rowCount() - 1);
var sampled = metrics.doubleColumn("train_reward_mean");
double firstEpoch = sampled.first(13).mean(), lastEpoch = sampled.last(13).mean();
System.out.printf("sampled answers' reward: %.3f in the first epoch, %.3f in the last%n", firstEpoch, lastEpoch);
System.out.printf("validation reward %.3f; exact answers: %d of %d after the supervised job, %d after reinforcement%n",
        lastValid, before, prompts.size(), after);
check(lastEpoch > firstEpoch, "the sampled answers earn more as training goes on");
check(Math.abs(lastValid - rftEval.meanScore()) < 1e-9, "the validation reward matches the model's answers");
check(after > before, "reinforcement gained right answers");
System.out.println(failedChecks == 0 ? "reinforcement: all checks passed" : "reinforcement: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
