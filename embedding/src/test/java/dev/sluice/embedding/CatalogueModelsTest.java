package dev.sluice.embedding;

import static dev.sluice.embedding.OrtReference.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The other catalogue entries agree with the raw ONNX Runtime reference, query prefix included. */
class CatalogueModelsTest {

  @Test
  void everyEntryIsOnTheTestClasspath() {
    ClassLoader classpath = ModelCatalogue.class.getClassLoader();
    for (String name : ModelCatalogue.names()) {
      ModelSpec spec = ModelCatalogue.spec(name);
      assertThat(classpath.getResource(spec.onnxResource())).as(name).isNotNull();
      assertThat(classpath.getResource(spec.tokenizerResource())).as(name).isNotNull();
    }
  }

  // The full-precision bge-small-en-v1.5 (133 MB) is left out for time; its int8 twin has the same
  // tokenizer, pooling and prefix.
  @ParameterizedTest
  @ValueSource(strings = {"all-minilm-l6-v2-q", "bge-small-en-v1.5-q"})
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
