// Preparing training data: validate a JSONL file (and read line-numbered errors in a broken one), look at its
// token statistics, estimate the epochs and the cost of a job, split off a validation set, and build a training
// file from a CSV file or a Tablesaw table. Nothing here trains: it is what to do before `ft.create(...)`.
//
//   scripts/ftshell scripts/prepare-data.jsh        (from the project folder)
//
// `ft` comes from startup.jsh; the data tools live in dev.finetune4j.data. Files are written to
// target/prepare-data/, charts to target/plots/prepare-data-*.png.

import dev.finetune4j.data.*;
import java.nio.file.*;
import java.util.*;
import tech.tablesaw.api.*;

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

Path dir = Files.createDirectories(Path.of("target/prepare-data"));

// ---------------------------------------------------------------------------------------------------------------
// 1. Validate the sample training file. The validator streams the file: format, roles, empty messages, duplicates,
//    token counts (with the tokenizer of the model the job will use). ft.validate(file, model) runs the checks of
//    the service ft talks to: here the local server's, whose models count a token per byte and take 128 (nano)
//    to 512 (mini) of them. To plan an OpenAI job (its tokens, limit and cost), the data tools take the OpenAI
//    model itself, wherever ft points.
var local = ft.validate("data/sample_train.jsonl", "nano");
System.out.println("for the local nano model: " + local.summary() + ", " + local.stats().tokenizer() + " tokens");
check(local.ok(), "the sample training file trains nano");
var report = DatasetValidator.forMethod(Method.AUTO).model("gpt-4o-mini-2024-07-18").validate(Path.of("data/sample_train.jsonl"));
System.out.println(report);
check(report.ok() && report.stats().tokenizer().equals("o200k_base"), "the sample training file is valid for gpt-4o-mini, in its tokens");

// ---------------------------------------------------------------------------------------------------------------
// 2. A broken file. Every problem is reported with its line number, what is wrong, and how to fix it.
Path broken = dir.resolve("broken.jsonl");
Files.write(broken, List.of(
        "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 2 + 2?\"}, {\"role\": \"assistant\", \"content\": \"4.\"}]}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Only a question, no answer\"}]}",
        "{\"messages\": [{\"role\": \"robot\", \"content\": \"beep\"}, {\"role\": \"assistant\", \"content\": \"boop\"}]}",
        "",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 2 + 2?\"}, {\"role\": \"assistant\", \"content\": \"4.\"}]}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"\"}, {\"role\": \"assistant\", \"content\": \"An empty question\"}]}"));
var brokenReport = ft.validate(broken.toString());
System.out.println(brokenReport.summary());
System.out.println(brokenReport.problemsTable().print());
Set<Long> badLines = new TreeSet<>();
for (var p : brokenReport.problems()) if (p.isError()) badLines.add(p.line());
check(!brokenReport.ok(), "the broken file is rejected");
check(badLines.containsAll(List.of(2L, 3L, 4L, 7L)), "errors are reported on lines 2, 3, 4 and 7 (got " + badLines + ")");

// Or keep what can train: ft.clean writes the lines without errors, blank lines and repeats to a new file, and says
// what it dropped (on the command line: java -jar target/finetune4j-all.jar clean IN OUT).
Path cleaned = dir.resolve("broken.clean.jsonl");
var cleaning = ft.clean(broken.toString(), cleaned.toString());
System.out.println(cleaning);
check(cleaning.kept() == 1 && cleaning.droppedLines() == 6 && Files.readAllLines(cleaned).equals(List.of(Files.readAllLines(broken).get(0))),
        "cleaning keeps line 1 alone: the others are broken, blank or a repeat of it");

// ---------------------------------------------------------------------------------------------------------------
// 3. Token statistics: how long the examples are, and how many tokens are trained (the assistant's).
var stats = report.stats();
System.out.println(stats.table().print());
System.out.println(stats.rolesTable().print());
var histogram = Charts.histogram(stats, DatasetStats.Metric.TOKENS);
Charts.save(histogram, "target/plots/prepare-data-tokens.png");
System.out.println("token histogram: target/plots/prepare-data-tokens.png");
check(stats.tokensCounted() && stats.examples() == report.examples(), "tokens were counted for every example");

// ---------------------------------------------------------------------------------------------------------------
// 4. Epochs and cost. Without n_epochs, OpenAI picks the epochs from the dataset size (the cookbook's rule);
//    trained tokens = billed tokens per epoch x epochs. Prices change: look yours up; 3.00 USD per 1M training
//    tokens is only an example here.
var estimate = report.estimate();
System.out.println(estimate);
double pricePerMillion = 3.00;
for (int epochs : List.of(1, estimate.epochs(), 10)) {
    var e = TrainingEstimate.of(stats, epochs);
    System.out.printf("  %2d epochs: %,9d trained tokens, about %.4f USD at %.2f USD per 1M%n",
            epochs, e.trainedTokens(), e.cost(pricePerMillion), pricePerMillion);
}
check(estimate.trainedTokens() == estimate.billingTokensPerEpoch() * estimate.epochs(), "trained tokens = tokens per epoch x epochs");

// ---------------------------------------------------------------------------------------------------------------
// 5. Split one file into training and validation files (shuffled with a seed, duplicates kept together), then
//    make sure no validation example leaks into the training file.
Path train = dir.resolve("train.jsonl");
Path valid = dir.resolve("valid.jsonl");
var split = DatasetSplit.split(Path.of("data/sample_train.jsonl"), train, valid, 0.2, 42);
System.out.println(split);
var leakage = Leakage.check(train, valid);
System.out.println(leakage);
check(split.trainExamples() + split.validationExamples() == report.examples(), "the split keeps every example");
check(leakage.ok(), "no validation example is in the training file");

// ---------------------------------------------------------------------------------------------------------------
// 6. From a table to a training file: a CSV file of questions and answers (or any Tablesaw table) becomes chat
//    JSONL, one {"messages": [system, user, assistant]} per row.
Path csv = dir.resolve("faq.csv");
Files.write(csv, List.of(
        "question,answer",
        "What are your opening hours?,We are open 9 to 5 on weekdays.",
        "Where are you located?,\"At 12 Harbour Street, Portsmouth.\"",
        "Do you ship abroad?,Yes: to every country in the EU.",
        "How do I return an item?,Send it back within 30 days with the receipt.",
        "Do you have gift cards?,\"Yes, from 10 to 100 euros.\"",
        "Can I pay by card?,Yes: all major cards.",
        "Is there parking?,Yes: behind the shop.",
        "Do you repair bikes?,\"Yes, book a slot on our website.\"",
        "How long does delivery take?,Two to four working days.",
        "Can I change my order?,Yes: until it ships."));
Path faqJsonl = dir.resolve("faq.jsonl");
long written = ChatConverter.columns().systemPrompt("You answer customers of a bike shop briefly.").
        user("question").assistant("answer").writeCsv(csv, faqJsonl);
System.out.println("wrote " + written + " examples to " + faqJsonl);
System.out.println(Files.readAllLines(faqJsonl).get(0));

// The same from a table built in code (or read with Table.read().csv(...), from a database, ...):
Table qa = Table.create("qa",
        StringColumn.create("q", "What is 6 times 7?", "What is 20 plus 22?", "What is 84 divided by 2?"),
        StringColumn.create("a", "42.", "42.", "42."));
Path tableJsonl = dir.resolve("from-table.jsonl");
long fromTable = ChatConverter.columns().user("q").assistant("a").write(qa, tableJsonl);
System.out.println("wrote " + fromTable + " examples to " + tableJsonl);

// And from the legacy completions format ({"prompt": ..., "completion": ...} per line), which fine-tuning no longer
// takes: the validator says so, and the same mapping names the fields.
Path legacy = dir.resolve("legacy.jsonl");
Files.write(legacy, List.of("{\"prompt\": \"What is 6 times 7?\", \"completion\": \"42.\"}",
        "{\"prompt\": \"What is 20 plus 22?\", \"completion\": \"42.\"}"));
var legacyReport = ft.validate(legacy.toString());
System.out.println(legacyReport.problems().stream().filter(p -> p.category() == Category.MISSING_MESSAGES).findFirst().orElseThrow());
Path legacyChats = dir.resolve("from-legacy.jsonl");
long fromLegacy = ChatConverter.columns().user("prompt").assistant("completion").writeJsonl(legacy, legacyChats);
System.out.println("wrote " + fromLegacy + " examples to " + legacyChats + ": " + Files.readAllLines(legacyChats).get(0));

var faqReport = ft.validate(faqJsonl.toString());
System.out.println(faqReport.summary());
check(written == 10 && faqReport.ok(), "the CSV became 10 valid training examples");
check(fromTable == 3 && Files.readAllLines(tableJsonl).size() == 3, "the table became 3 examples");
check(legacyReport.problems().stream().anyMatch(p -> p.hint().contains("writeJsonl")), "the validator names the way out");
check(fromLegacy == 2 && ft.validate(legacyChats.toString()).problems().stream().noneMatch(p -> p.line() > 0),
        "the legacy records became chat examples");

System.out.println(failedChecks == 0 ? "prepare-data: all checks passed" : "prepare-data: " + failedChecks + " check(s) FAILED");
/exit failedChecks == 0 ? 0 : 1
