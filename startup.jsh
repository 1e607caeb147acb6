// finetune4j for JShell: `jshell --class-path target/finetune4j-all.jar --startup DEFAULT --startup startup.jsh`
// (scripts/ftshell does this, with a larger heap, the Vector API module and a headless AWT where there is no
// display). `ft` talks to OpenAI when OPENAI_API_KEY is set, else to the local server.
import dev.finetune4j.notebook.*;
import dev.finetune4j.api.*;
import dev.finetune4j.client.*;
// the dataset tools by name: dev.finetune4j.data.* would make JobError ambiguous with the API's
import dev.finetune4j.data.Category;
import dev.finetune4j.data.ChatConverter;
import dev.finetune4j.data.DatasetCleaner;
import dev.finetune4j.data.DatasetSplit;
import dev.finetune4j.data.DatasetStats;
import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.Leakage;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.Problem;
import dev.finetune4j.data.Severity;
import dev.finetune4j.data.TrainingEstimate;
import dev.finetune4j.data.ValidationReport;
import dev.finetune4j.train.Trainer;
import tech.tablesaw.api.Table;
import org.knowm.xchart.*;
import java.nio.file.*;
import java.time.Duration;
var ft = FineTune.fromEnv();
