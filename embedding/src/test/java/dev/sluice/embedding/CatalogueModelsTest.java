package dev.sluice.embedding;

import static dev.sluice.embedding.OrtReference.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every catalogue entry loads and agrees with the raw ONNX Runtime reference, query prefix included. */
class CatalogueModelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"all-minilm-l6-v2-q", "bge-small-en-v1.5", "bge-small-en-v1.5-q"})
  void matchesReference(String name) throws Exception {
    try (EmbeddingModel model = ModelCatalogue.load(name, 256);
        Embedder embedder = model.newEmbedder();
        OrtReference reference = new OrtReference(model.spec(), 256)) {
      String passage = "A changelog topic restores a state store after a crash.";
      String query = "how is state restored?";

      float[] passageVector = embedder.embedPassages(List.of(passage)).get(0);
      float[] queryVector = embedder.embedQuery(query);

      assertThat(model.modelId()).matches(name.replace(".", "\\.") + "@[0-9a-f]{8}");
      assertThat(passageVector).hasSize(model.dimension());
      assertThat(cosine(passageVector, reference.embed(passage))).isGreaterThanOrEqualTo(0.999);
      assertThat(cosine(queryVector, reference.embed(model.spec().queryPrefix() + query)))
          .isGreaterThanOrEqualTo(0.999);
    }
  }
}
