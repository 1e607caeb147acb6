package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final ModelCatalog catalog = new ModelCatalog(List.of("nano", "micro", "mini"), null, null);

    @Test
    void openAINamesAndTheirSnapshotsAreAliases() {
        assertThat(catalog.baseConfig("nano")).isEqualTo("nano");
        assertThat(catalog.baseConfig("gpt-4o-mini")).isEqualTo("micro");
        assertThat(catalog.baseConfig("gpt-4o-mini-2024-07-18")).isEqualTo("micro");
        assertThat(catalog.baseConfig("gpt-4o-2024-08-06")).isEqualTo("mini");
        assertThat(catalog.baseConfig("gpt-3.5-turbo-0125")).isEqualTo("nano");
        assertThat(catalog.baseConfig("gpt-4.1-nano-2025-04-14")).isEqualTo("nano");
    }

    @Test
    void aTypoAfterAnAliasIsNotAModel() {
        assertThat(catalog.baseConfig("gpt-4o-mni")).isNull();
        assertThat(catalog.baseConfig("gpt-4o-mini-2024")).isNull();
        assertThat(catalog.baseConfig("gpt-4o-minii")).isNull();
        assertThat(catalog.baseConfig("nanoo")).isNull();
    }
}
