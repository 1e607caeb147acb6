// Checkpoints: a job saves a model at the end of each epoch (the last three are kept). Each is a model of its own:
// list them with their metrics, chat with one, pick the best, and share it with another project through
// checkpoint permissions (which take an admin key).
//
//   scripts/ftshell scripts/checkpoints.jsh        (from the project folder)
//
// Charts: target/plots/checkpoints-loss.png, target/plots/checkpoints-accuracy.png.

import dev.finetune4j.server.LocalServer;
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
// 1. A run of 20 epochs: checkpoints at the end of epochs 18, 19 and 20 remain (26 steps per epoch). The validation
//    loss is lowest after a few epochs and rises from then on while the train loss falls over the epochs: the model
//    learns its training answers by heart (it overfits) and gets worse at questions it has never seen. A checkpoint's
//    train_loss is the loss of its step's batch of 4 examples alone, which jumps from batch to batch.
var run = ft.job("nano").
        train("data/sample_train.jsonl").
        validate("data/sample_valid.jsonl").
        epochs(20).batchSize(4).lrMultiplier(6).seed(1).
        suffix("ckpt").
        metadata("example", "checkpoints").
        create().
        await();

// ---------------------------------------------------------------------------------------------------------------
// 2. The checkpoints as a table: step, model name (what to chat with), and the metrics at that step.
var checkpoints = run.checkpoints();
System.out.println(checkpoints.print());

// The loss curves mark the checkpoints; the token accuracy shows what the loss means in answers.
Charts.save(run.plot(), "target/plots/checkpoints-loss.png");
Charts.save(run.plot("train_mean_token_accuracy", "full_valid_mean_token_accuracy"), "target/plots/checkpoints-accuracy.png");
System.out.println("charts: target/plots/checkpoints-loss.png, target/plots/checkpoints-accuracy.png");

// ---------------------------------------------------------------------------------------------------------------
// 3. Chat with each checkpoint: the same training question at three stages of training, beside the answer the model
//    learnt. run.chat(question, step) asks the
//    checkpoint of that step with the question alone; the sample chats start with the system message
//    "Answer briefly.", so ask the way the model learnt, through the plain client, by the checkpoint's model name.
String ask(String model, String question) {
    return ft.client().chat().completions().create(ChatCompletionCreateParams.builder().
            model(model).addSystemMessage("Answer briefly.").addUserMessage(question).temperature(0).build()).text();
}
String question = "How many legs does a spider have?";
String expected = "Eight."; // its answer in data/sample_train.jsonl
System.out.println(question + "  expected: " + expected);
List<String> checkpointAnswers = new ArrayList<>();
for (var c : run.checkpointList()) {
    String answer = ask(c.fineTunedModelCheckpoint(), question);
    checkpointAnswers.add(answer);
    System.out.printf("step %4d  %-48s  %-12s (without the system message: %s)%n", c.stepNumber(),
            c.fineTunedModelCheckpoint(), answer, run.chat(question, (int) c.stepNumber()));
}

// The best checkpoint by loss on the whole validation file. The validation loss rises through the last epochs, so the
// best one for new questions is not the last: it is the earliest of the three kept, trained least. Lowest validation
// loss is not the same as knowing the training answers.
var best = run.bestCheckpoint("full_valid_loss");
System.out.println("best by full_valid_loss: step " + best.stepNumber() + ", " + best.fineTunedModelCheckpoint());
System.out.println("it answers: " + ask(best.fineTunedModelCheckpoint(), question) + "  (expected: " + expected + ")");

// Checkpoints are models: they are listed with the others.
System.out.println(ft.models().print());

// ---------------------------------------------------------------------------------------------------------------
// 4. Share the checkpoint with another project. Permissions need an admin key: ft.adminClient() is a client with
//    it (on OpenAI, your organisation's admin key from OPENAI_ADMIN_KEY, and the project ids of your dashboard;
//    the local server keeps its admin key in its data folder). Projects of the local server are created through
//    a handle on the running server (LocalServer.start attaches to it). This part needs the local server.
check(ft.where().startsWith("local server"), "this part runs against the local server");
var server = LocalServer.start(LocalServer.defaultDataDir()); // attaches to the running server
var admin = ft.adminClient();                 // the local server's admin key; OPENAI_ADMIN_KEY on OpenAI
var teamB = server.createProject("team-b");
var asTeamB = FineTune.connect(ft.client().baseUrl(), teamB.apiKey());
String checkpoint = best.fineTunedModelCheckpoint();

// What team B gets when it asks for the checkpoint: an answer, or the API's refusal.
String teamBAsks() {
    try {
        return "answered: " + asTeamB.chat(checkpoint, question);
    } catch (ApiStatusException e) {
        return "refused, HTTP " + e.statusCode() + " " + e.code() + ": " + e.errorMessage();
    }
}

// Before: team B cannot see the checkpoint.
String before = teamBAsks();
System.out.println("team B, before the grant: " + before);

// Grant, list, use.
var granted = admin.fineTuning().checkpoints().permissions().create(checkpoint, List.of(teamB.projectId()));
for (var p : granted.data()) System.out.println("granted " + p.id() + " to " + p.projectId());
var permissions = admin.fineTuning().checkpoints().permissions().list(checkpoint).stream().toList();
for (var p : permissions) System.out.println("permission of the checkpoint: " + p.id() + " -> " + p.projectId());
String withGrant = teamBAsks();
System.out.println("team B, with the grant: " + withGrant);

// Revoke: team B loses access again.
var deleted = admin.fineTuning().checkpoints().permissions().delete(checkpoint, granted.data().get(0).id());
System.out.println("revoked: " + deleted.deleted());
String after = teamBAsks();
System.out.println("team B, after revoking: " + after);

check(checkpoints.rowCount() == 3, "three checkpoints are kept");
check(checkpoints.intColumn("step").asList().equals(List.of(468, 494, 520)), "at the end of epochs 18, 19 and 20");
check(checkpointAnswers.get(2).equals(expected), "the last checkpoint has learnt the answer");
var fullValidLoss = checkpoints.doubleColumn("full_valid_loss");
check(fullValidLoss.get(0) < fullValidLoss.get(1) && fullValidLoss.get(1) < fullValidLoss.get(2)
        && best.stepNumber() == 468, "the validation loss rises: the best checkpoint is the earliest kept");
check(before.startsWith("refused"), "another project cannot use the checkpoint");
check(withGrant.equals("answered: " + run.chat(question, best)), "with the grant it gets the same answer as the owner");
check(deleted.deleted() && after.startsWith("refused"), "revoking takes the access back");
System.out.println(failedChecks == 0 ? "checkpoints: all checks passed" : "checkpoints: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
