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
// 1. A run of 6 epochs: checkpoints at the end of epochs 4, 5 and 6 remain (26 steps per epoch).
var run = ft.job("nano").
        train("data/sample_train.jsonl").
        validate("data/sample_valid.jsonl").
        epochs(6).batchSize(4).lrMultiplier(6).seed(1).
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
// 3. Chat with each checkpoint: the same question, three stages of training.
String question = "How many legs does a spider have?";
for (var c : run.checkpointList()) {
    System.out.printf("step %4d  %-60s  %s%n", c.stepNumber(), c.fineTunedModelCheckpoint(), run.chat(question, (int) c.stepNumber()));
}

// The best checkpoint by loss on the whole validation file. With more epochs the model overfits (it learns the
// training answers by heart), so the best one for new questions is not always the last.
var best = run.bestCheckpoint("full_valid_loss");
System.out.println("best by full_valid_loss: step " + best.stepNumber() + ", " + best.fineTunedModelCheckpoint());
System.out.println("it answers: " + run.chat(question, best));

// Checkpoints are models: they are listed with the others.
System.out.println(ft.models().print());

// ---------------------------------------------------------------------------------------------------------------
// 4. Share the checkpoint with another project. Permissions need an admin key: on OpenAI an admin key of your
//    organisation (set OPENAI_ADMIN_KEY); the local server keeps its own in its data folder, and a handle on the
//    running server (LocalServer.start attaches to it) hands it out, and creates projects.
check(ft.where().startsWith("local server"), "this part runs against the local server");
var server = LocalServer.start(Path.of(System.getProperty("user.home"), ".finetune4j"));
var admin = OpenAI.builder().baseUrl(ft.client().baseUrl()).apiKey(server.adminKey()).build();
var teamB = server.createProject("team-b");
var asTeamB = FineTune.connect(ft.client().baseUrl(), teamB.apiKey());
String checkpoint = best.fineTunedModelCheckpoint();

// Before: team B cannot see the checkpoint.
String before;
try {
    before = "answered: " + asTeamB.chat(checkpoint, question);
} catch (ApiStatusException e) {
    before = "HTTP " + e.statusCode() + ": " + e.getMessage();
}
System.out.println("team B, before the grant: " + before);

// Grant, list, use.
var granted = admin.fineTuning().checkpoints().permissions().create(checkpoint, List.of(teamB.projectId()));
for (var p : granted.data()) System.out.println("granted " + p.id() + " to " + p.projectId());
var permissions = admin.fineTuning().checkpoints().permissions().list(checkpoint).stream().toList();
System.out.println("permissions of the checkpoint: " + permissions);
String withGrant = asTeamB.chat(checkpoint, question);
System.out.println("team B, with the grant: " + withGrant);

// Revoke: team B loses access again.
var deleted = admin.fineTuning().checkpoints().permissions().delete(checkpoint, granted.data().get(0).id());
System.out.println("revoked: " + deleted.deleted());
String after;
try {
    after = "answered: " + asTeamB.chat(checkpoint, question);
} catch (ApiStatusException e) {
    after = "HTTP " + e.statusCode() + ": " + e.getMessage();
}
System.out.println("team B, after revoking: " + after);

check(checkpoints.rowCount() == 3, "three checkpoints are kept");
check(checkpoints.intColumn("step").asList().equals(List.of(104, 130, 156)), "at the end of epochs 4, 5 and 6");
check(before.startsWith("HTTP 404") || before.startsWith("HTTP 403"), "another project cannot use the checkpoint");
check(withGrant.equals(run.chat(question, best)), "with the grant it gets the same answer as the owner");
check(deleted.deleted() && (after.startsWith("HTTP 404") || after.startsWith("HTTP 403")), "revoking takes the access back");
System.out.println(failedChecks == 0 ? "checkpoints: all checks passed" : "checkpoints: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
