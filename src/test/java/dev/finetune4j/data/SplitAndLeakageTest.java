package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitAndLeakageTest {
    @TempDir
    Path dir;

    Path dataset(int n, int repeatEvery) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = repeatEvery > 0 && i % repeatEvery == repeatEvery - 1 ? i - 1 : i;
            lines.add(String.format(DatasetValidatorTest.OK, id, id));
            if (i == 5) {
                lines.add("");
            }
        }
        Path p = dir.resolve("all.jsonl");
        Files.write(p, lines);
        return p;
    }

    @Test
    void splitIsDeterministicExactAndKeepsDuplicatesTogether() throws IOException {
        Path all = dataset(200, 10);
        Path train = dir.resolve("train.jsonl");
        Path valid = dir.resolve("valid.jsonl");
        DatasetSplit.Result r = DatasetSplit.split(all, train, valid, 0.2, 42);

        assertThat(r.duplicateLines()).isEqualTo(20);
        assertThat(r.blankLines()).isEqualTo(1);
        assertThat(r.trainExamples() + r.validationExamples()).isEqualTo(200);
        Set<String> validDistinct = new HashSet<>(Files.readAllLines(valid));
        assertThat(validDistinct).hasSize(36); // round(180 distinct x 0.2)
        assertThat(Leakage.check(train, valid).ok()).isTrue();

        List<String> firstTrain = Files.readAllLines(train);
        DatasetSplit.split(all, train, valid, 0.2, 42);
        assertThat(Files.readAllLines(train)).isEqualTo(firstTrain);
        DatasetSplit.split(all, train, valid, 0.2, 43);
        assertThat(Files.readAllLines(train)).isNotEqualTo(firstTrain);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }

    @Test
    void tinyFilesKeepOneExampleOnEachSide() throws IOException {
        Path all = dataset(3, 0);
        DatasetSplit.Result r = DatasetSplit.split(all, dir.resolve("t.jsonl"), dir.resolve("v.jsonl"), 0.01, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> DatasetSplit.split(all, dir.resolve("same.jsonl"), dir.resolve(".").resolve("same.jsonl"), 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three different files");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetSplit.split(all, all, dir.resolve("v2.jsonl"), 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("same.jsonl")).doesNotExist();
        assertThat(r.validationExamples()).isEqualTo(1);
        assertThat(r.trainExamples()).isEqualTo(2);
    }

    @Test
    void leakageNamesTheLinesInBothFiles() throws IOException {
        Path train = dir.resolve("train.jsonl");
        Path valid = dir.resolve("valid.jsonl");
        Files.write(train, List.of(String.format(DatasetValidatorTest.OK, 1, 1), String.format(DatasetValidatorTest.OK, 2, 2),
                "  " + String.format(DatasetValidatorTest.OK, 3, 3)));
        Files.write(valid, List.of(String.format(DatasetValidatorTest.OK, 3, 3), String.format(DatasetValidatorTest.OK, 4, 4),
                String.format(DatasetValidatorTest.OK, 3, 3)));
        Leakage.Report r = Leakage.check(train, valid);
        assertThat(r.ok()).isFalse();
        assertThat(r.validationExamples()).isEqualTo(3);
        assertThat(r.leakedValidationLines()).isEqualTo(2);
        assertThat(r.pairs()).containsExactly(new Leakage.Pair(3, 1));
        assertThat(r.table().rowCount()).isEqualTo(1);
        assertThat(r.toString()).startsWith("LEAKAGE: 2 of 3 validation examples (66.7%)").contains("training line 3 = validation line 1");
    }

    @Test
    void aFileThatIsNotJsonlIsRefusedWithItsLineAndNothingIsWritten() throws IOException {
        Path pretty = dir.resolve("pretty.json");
        Files.writeString(pretty, String.format(DatasetValidatorTest.OK, 1, 1) + "\n{\n  \"messages\": []\n}\n");
        Path train = dir.resolve("train.jsonl");
        Path valid = dir.resolve("valid.jsonl");
        assertThatThrownBy(() -> DatasetSplit.split(pretty, train, valid, 0.5, 1)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("Line 2 of " + pretty + " is not a JSON object ({)")
                .hasMessageContaining("one JSON object per line");
        assertThat(train).doesNotExist();
        assertThat(valid).doesNotExist();

        Files.writeString(pretty, "[" + String.format(DatasetValidatorTest.OK, 1, 1) + "]\n");
        assertThatThrownBy(() -> DatasetSplit.split(pretty, train, valid, 0.5, 1)).hasMessageStartingWith("Line 1 of ");
    }

    @Test
    void anOutputThatIsTheInputByAnotherNameIsRefused() throws IOException {
        Path all = dataset(20, 0);
        assertThatThrownBy(() -> DatasetSplit.split(all, dir.resolve("sub/../all.jsonl"), dir.resolve("v.jsonl"), 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("three different files");
    }
}
