package dev.sluice.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelCatalogueTest {

  // Held open so that the loads below share its session instead of each reading the ONNX file.
  private static EmbeddingModel held;

  @BeforeAll
  static void load() {
    held = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void close() {
    held.close();
  }

  @Test
  void listsItsModels() {
    assertThat(ModelCatalogue.names())
        .containsExactly(
            "all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v1.5", "bge-small-en-v1.5-q");
  }

  @Test
  void unknownNameListsKnownNames() {
    assertThatThrownBy(() -> ModelCatalogue.load("ada-002", 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ada-002")
        .hasMessageContaining("all-minilm-l6-v2, all-minilm-l6-v2-q");
  }

  @Test
  void specIsKnownWithoutLoading() {
    ModelSpec bge = ModelCatalogue.spec("bge-small-en-v1.5");

    assertThat(bge.dimension()).isEqualTo(384);
    assertThat(bge.pooling()).isEqualTo(ModelSpec.Pooling.CLS);
    assertThat(bge.queryPrefix()).startsWith("Represent this sentence");
    assertThatThrownBy(() -> ModelCatalogue.spec("nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void windowBeyondPositionLimitIsRejected() {
    assertThatThrownBy(() -> ModelCatalogue.load("all-minilm-l6-v2", 513))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("513");
  }

  @Test
  void defaultModelIdIsNamePlusContentHash() {
    try (EmbeddingModel model = ModelCatalogue.loadDefault()) {
      assertThat(model.modelId()).matches("all-minilm-l6-v2@[0-9a-f]{8}");
      assertThat(model.dimension()).isEqualTo(384);
      assertThat(model.spec().pooling()).isEqualTo(ModelSpec.Pooling.MEAN);
      assertThat(model.spec().queryPrefix()).isEmpty();
    }
  }

  @Test
  void loadsOfOneNameShareTheSessionAndOutliveEachOther() {
    EmbeddingModel first = ModelCatalogue.load("all-minilm-l6-v2", 256);
    try (EmbeddingModel second = ModelCatalogue.load("all-minilm-l6-v2", 128)) {
      first.close();

      assertThat(second.modelId()).isEqualTo(first.modelId()).isEqualTo(held.modelId());
      assertThat(second.tokenizer().windowTokens()).isEqualTo(128);
      try (Embedder embedder = second.newEmbedder()) {
        assertThat(embedder.embedPassages(List.of("still open")).get(0)).hasSize(384);
      }
    }
  }

  @Test
  void closedModelHandsOutNoEmbedders() {
    EmbeddingModel model = ModelCatalogue.loadDefault();
    model.close();

    assertThatThrownBy(model::newEmbedder).isInstanceOf(IllegalStateException.class);
  }
}
