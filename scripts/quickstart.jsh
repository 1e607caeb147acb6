// Quickstart: fine-tune a model on 104 short questions and answers, watch it train, read its metrics as a table,
// plot its loss, chat with it, and score its answers.
//
//   scripts/ftshell scripts/quickstart.jsh        (from the project folder)
//
// With no OPENAI_API_KEY set, `ft` (defined by startup.jsh) is the local server that ships with finetune4j: it
// trains a tiny GPT ("nano": 2 layers, 64 wide) on this machine's CPU, no key and no network needed. With a
// key, the same calls go to OpenAI; use a model name such as "gpt-4o-mini-2024-07-18" there (the local server
// takes that name too, as an alias of its own small model).
//
// The plots are saved as target/plots/quickstart-loss.png and quickstart-confidence.png.

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
// 1. Check the training data before spending anything on it: format, roles, token counts, line-numbered errors,
//    with the tokens and limit of the model the job trains (on the local server, nano takes 128 tokens an example).
var report = ft.validate("data/sample_train.jsonl", "nano");
System.out.println(report);
check(report.ok(), "the training file is valid");

// ---------------------------------------------------------------------------------------------------------------
// 2. Upload the training and validation files (ft.create also accepts paths and uploads them itself).
var trainFile = ft.upload("data/sample_train.jsonl");
var validFile = ft.upload("data/sample_valid.jsonl");
System.out.println("uploaded " + trainFile.id() + " (" + trainFile.bytes() + " bytes) and " + validFile.id());

// ---------------------------------------------------------------------------------------------------------------
// 3. Start the job. The model starts from scratch (it knows no language yet), so it needs many passes over the
//    data to learn the answers by heart: 50 epochs, 4 examples per step, a high learning rate. On OpenAI a few
//    epochs of a pretrained model are enough; leave the hyperparameters out and it picks them itself.
var run = ft.job("nano").
        train(trainFile.id()).
        validate(validFile.id()).
        epochs(50).batchSize(4).lrMultiplier(6).
        seed(1).
        suffix("quickstart").
        metadata("example", "quickstart").
        create();
System.out.println("started " + run.id());

// ---------------------------------------------------------------------------------------------------------------
// 4. Wait for it, with live progress: status, step/total, loss, ETA. Ctrl-C stops the waiting, not the job:
//    ft.run(id) re-attaches to it later, even from another session.
run.await();
System.out.println(run);

// ---------------------------------------------------------------------------------------------------------------
// 5. The metrics as a Tablesaw table: a row per step, a column per metric (train loss and token accuracy at every
//    step, validation loss on a batch every few steps, on the whole validation file at the end of each epoch).
var metrics = run.metrics();
System.out.println(metrics.structure().print());
System.out.println(metrics.where(metrics.doubleColumn("full_valid_loss").isNotMissing()).print());
var summary = run.summary();
for (var column : summary.columns()) System.out.printf("  %-32s %s%n", column.name(), column.getString(0));
check(metrics.rowCount() == 1300, "one row per step (50 epochs x 26 steps)");

// ---------------------------------------------------------------------------------------------------------------
// 6. The loss curves as an XChart chart (train, validation, full validation; checkpoints marked), saved as PNG.
//    From an interactive JShell, ft.show(run.plot()) opens it in a window.
Charts.save(run.plot(), "target/plots/quickstart-loss.png");
System.out.println("loss plot: target/plots/quickstart-loss.png");

// ---------------------------------------------------------------------------------------------------------------
// 7. Chat with the fine-tuned model. Every sample chat starts with the system message "Answer briefly.", so ask
//    the way the model learnt: ft.systemPrompt sets the system message that ft.chat and run.chat send first
//    (greedy decoding, temperature 0). ft.client() is the plain client, shaped like the OpenAI SDKs, for anything else.
ft.systemPrompt("Answer briefly.");
String answer = run.chat("What is the capital of France?");
System.out.println("Q: What is the capital of France?\nA: " + answer);

// How many of the training answers does it reproduce exactly? run.evaluate asks the model every example of a file
// (greedy) and scores each answer 1 or 0 against the example's own. On the validation questions, which it never
// saw, it guesses and gets them wrong: a model this small, trained from scratch, learns answers by heart and cannot
// generalise.
var onTraining = run.evaluate("data/sample_train.jsonl");
System.out.println(onTraining);
var onValidation = run.evaluate("data/sample_valid.jsonl");
System.out.println(onValidation);
System.out.println(onValidation.table().first(5).print());
// How sure was it? The answers counted by their probability under the model: most of its guesses are unsure (below
// 50%), but a few wrong ones come out at 80% or more: a high probability alone does not make an answer right.
Charts.save(onValidation.plot(), "target/plots/quickstart-confidence.png");

check(answer.equals("Paris."), "the fine-tuned model answers 'Paris.'");
check(onTraining.correct() >= onTraining.size() * 9 / 10, "it reproduces at least 90% of the training answers");
check(onValidation.meanScore() < onTraining.meanScore(), "it answers the questions it learnt better than new ones");
System.out.println(failedChecks == 0 ? "quickstart: all checks passed" : "quickstart: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
