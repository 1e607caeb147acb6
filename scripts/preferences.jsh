// Preference fine-tuning (DPO): teach a model which of two answers to prefer, after supervised fine-tuning taught
// it to answer at all.
//
//   scripts/ftshell scripts/preferences.jsh        (from the project folder)
//
// A DPO example holds a conversation ("input") and two answers: "preferred_output" and "non_preferred_output". The
// job raises the likelihood of the preferred answer against the other, measured against the model it starts from
// (beta says how far it may move away from it). On the local server both jobs train on this machine's CPU; on
// OpenAI, start the DPO job from your supervised model the same way.
//
// The loss plot is saved as target/plots/preferences-loss.png.

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
// 1. Preference pairs from the sample chats: the right answer is preferred, another question's answer is not.
List<String> lines = Files.readAllLines(Path.of("data/sample_train.jsonl"));
List<String> pairs = new ArrayList<>();
for (int i = 0; i < lines.size(); i++) {
    var messages = Json.MAPPER.readTree(lines.get(i)).get("messages");
    var wrong = Json.MAPPER.readTree(lines.get((i + 7) % lines.size())).get("messages").get(2);
    var pair = Json.MAPPER.createObjectNode();
    pair.putObject("input").set("messages", Json.MAPPER.createArrayNode().add(messages.get(0)).add(messages.get(1)));
    pair.putArray("preferred_output").add(messages.get(2));
    pair.putArray("non_preferred_output").add(wrong);
    pairs.add(Json.write(pair));
}
Path preferences = Path.of("target/preferences.jsonl");
Files.createDirectories(preferences.getParent());
Files.write(preferences, pairs);
System.out.println(pairs.get(0));

// The validator recognises the format and checks it as a DPO file.
var report = ft.validate(preferences.toString());
System.out.println(report);
check(report.ok() && report.format() == dev.finetune4j.data.Method.DPO, "a valid DPO file");

// ---------------------------------------------------------------------------------------------------------------
// 2. Supervised first: the model learns to answer (as in the quickstart).
var sft = ft.job("nano").train("data/sample_train.jsonl").epochs(50).batchSize(4).lrMultiplier(6).seed(1).
        suffix("sft").create().await();
System.out.println(sft);

// ---------------------------------------------------------------------------------------------------------------
// 3. Then DPO, starting from the supervised model.
var dpo = ft.job(sft.model()).train(preferences.toString()).dpo(0.1).epochs(6).batchSize(8).
        lrMultiplier(0.3).seed(1).suffix("dpo").create().await();
System.out.println(dpo);

// The metrics: train_loss is DPO's loss. At the first step the model is still its own reference, so every
// preference margin is 0 and the loss is -log(sigmoid(0)) = ln 2 = 0.693; it falls as the preferred answers win.
var metrics = dpo.metrics();
System.out.println(metrics.first(3).print());
System.out.println(metrics.last(3).print());
double first = metrics.doubleColumn("train_loss").get(0);
double last = metrics.last(13).doubleColumn("train_loss").mean(); // 104 pairs in batches of 8: 13 steps an epoch
System.out.printf("DPO loss: %.4f at the first step, %.4f over the last epoch%n", first, last);
Charts.save(dpo.plot(), "target/plots/preferences-loss.png");
System.out.println("loss plot: target/plots/preferences-loss.png");

// ---------------------------------------------------------------------------------------------------------------
// 4. Right answers, greedy, before and after DPO.
ft.systemPrompt("Answer briefly.");
int exact(Run run) throws Exception {
    int n = 0;
    for (String line : lines) {
        var messages = Json.MAPPER.readTree(line).get("messages");
        if (run.chat(messages.get(1).get("content").asText()).equals(messages.get(2).get("content").asText())) n++;
    }
    return n;
}
int before = exact(sft);
int exact = exact(dpo);
System.out.printf("exact answers: %d of %d after the supervised job, %d after DPO%n", before, lines.size(), exact);

check(Math.abs(first - Math.log(2)) < 1e-4, "the first step's DPO loss is ln 2");
check(last < first * 0.6, "the DPO loss falls by more than 40%");
// DPO widens the margin between the two answers; it may lower the likelihood of both a little, which is why it
// runs here at a third of the supervised learning rate, for a few epochs.
check(exact >= lines.size() * 9 / 10, "the DPO model still gives at least 90% of the right answers");
System.out.println(failedChecks == 0 ? "preferences: all checks passed" : "preferences: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
