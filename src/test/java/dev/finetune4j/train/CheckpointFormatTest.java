package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {
    @TempDir
    Path dir;

    @Test
    void modelFileRoundTripsWithMagicAndVersion() throws Exception {
        GptModel m = GptModel.init(TrainingRuns.SMALL, 5);
        Path f = dir.resolve("m.f4jw");
        m.save(f);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
            assertThat(in.readInt()).isEqualTo(0x46344A57);
            assertThat(in.readInt()).isEqualTo(1);
        }
        GptModel back = GptModel.load(f);
        assertThat(back.config()).isEqualTo(m.config());
        assertThat(back.sameWeights(m)).isTrue();
        assertThat(back.tensorNames()).startsWith("wte.weight", "wpe.weight", "h.0.ln_1.weight", "h.0.ln_1.bias",
                "h.0.attn.c_attn.weight").endsWith("ln_f.weight", "ln_f.bias");
        assertThat(Files.list(dir)).hasSize(1); // no temporary file left behind
    }

    @Test
    void aWriteThatFailsLeavesNeitherAHalfFileNorTheOldOneChanged() throws Exception {
        Path file = dir.resolve("state.bin");
        BinaryFiles.write(file, 0x46543453, 1, out -> out.writeInt(42));
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> BinaryFiles.write(file, 0x46543453, 1, out -> {
            out.write(new byte[100_000]);
            throw new java.io.IOException("No space left on device");
        })).hasMessageContaining("No space left");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("state.bin");
        }
    }

    @Test
    void corruptedModelFileIsRejected() throws Exception {
        Path f = dir.resolve("m.f4jw");
        GptModel.init(TrainingRuns.SMALL, 5).save(f);
        byte[] bytes = Files.readAllBytes(f);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Files.write(f, flipped);
        assertThatThrownBy(() -> GptModel.load(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("checksum mismatch");
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> GptModel.load(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("truncated");
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        Files.write(f, badMagic);
        assertThatThrownBy(() -> GptModel.load(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("is not a finetune4j model file");
        byte[] badVersion = bytes.clone();
        badVersion[7] = 9;
        Files.write(f, badVersion);
        assertThatThrownBy(() -> GptModel.load(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("unsupported model format version 9");
    }

    @Test
    void corruptedCheckpointIsRejectedAndKindsAreNotMixed() throws Exception {
        Trainer t = TrainingRuns.trainer(1);
        Path cp = dir.resolve("c.f4jc");
        t.saveCheckpoint(cp);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(cp))) {
            assertThat(in.readInt()).isEqualTo(0x46344A43);
            assertThat(in.readInt()).isEqualTo(3);
        }
        assertThatThrownBy(() -> GptModel.load(cp)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("not a finetune4j model file");
        byte[] bytes = Files.readAllBytes(cp);
        for (int pos : new int[] {200, bytes.length / 3, bytes.length - 9}) {
            byte[] bad = bytes.clone();
            bad[pos] ^= 0x01;
            Files.write(cp, bad);
            assertThatThrownBy(() -> Trainer.resume(cp, TrainingRuns.train(), TrainingRuns.valid(), 1))
                    .as("byte " + pos).isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining("corrupted checkpoint file");
        }
    }
}
