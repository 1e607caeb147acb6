package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8DecoderTest {

    private static List<String> pieces(byte[] bytes) {
        Utf8Decoder d = new Utf8Decoder();
        List<String> out = new ArrayList<>();
        for (byte b : bytes) {
            String s = d.accept(b & 0xFF);
            if (!s.isEmpty()) out.add(s);
        }
        String tail = d.flush();
        if (!tail.isEmpty()) out.add(tail);
        return out;
    }

    @Test
    void releasesMultiByteCharactersOnlyWhenComplete() {
        String text = "aé€𝄞z";
        List<String> p = pieces(text.getBytes(StandardCharsets.UTF_8));
        assertThat(p).containsExactly("a", "é", "€", "𝄞", "z");
        assertThat(String.join("", p)).isEqualTo(text);
    }

    @Test
    void holdsBackAnIncompleteCharacter() {
        Utf8Decoder d = new Utf8Decoder();
        assertThat(d.accept(0xE2)).isEmpty();
        assertThat(d.accept(0x82)).isEmpty();
        assertThat(d.hasPending()).isTrue();
        assertThat(d.accept(0xAC)).isEqualTo("€");
        assertThat(d.hasPending()).isFalse();
    }

    @Test
    void malformedBytesBecomeReplacementCharactersLikeTheJdk() {
        byte[][] cases = {
                {(byte) 0xC3, 'a'}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xF8, 'x'}, {'o', 'k', (byte) 0xF0, (byte) 0x9F}};
        for (byte[] c : cases) {
            assertThat(String.join("", pieces(c))).as(java.util.Arrays.toString(c))
                    .isEqualTo(new String(c, StandardCharsets.UTF_8));
        }
    }

    @Test
    void encodedSurrogatesAreRejected() {
        String s = String.join("", pieces(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertThat(s).isNotEmpty().matches("\uFFFD+");
    }
}
