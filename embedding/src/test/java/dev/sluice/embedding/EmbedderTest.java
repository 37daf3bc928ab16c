package dev.sluice.embedding;

import static dev.sluice.embedding.OrtReference.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbedderTest {

  private static EmbeddingModel model;
  private static Embedder embedder;
  private static OrtReference reference;

  @BeforeAll
  static void load() throws Exception {
    model = ModelCatalogue.loadDefault();
    embedder = model.newEmbedder();
    reference = new OrtReference(model.spec(), model.tokenizer().windowTokens());
  }

  @AfterAll
  static void close() throws Exception {
    reference.close();
    embedder.close();
    model.close();
  }

  @Test
  void vectorsMatchRawOnnxRuntimeReference() throws Exception {
    List<String> texts =
        List.of(
            "the cat sits on the mat",
            "Exactly-once processing in Kafka Streams relies on transactions.",
            "",
            TestTexts.prose(80));

    List<float[]> vectors = embedder.embedPassages(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).hasSize(384);
      assertThat(cosine(vectors.get(i), reference.embed(texts.get(i))))
          .as("text %d", i)
          .isGreaterThanOrEqualTo(0.999);
    }
  }

  @Test
  void vectorsMatchStoredReference() {
    // First 8 dimensions, computed once with OrtReference (ONNX Runtime 1.21.1, x86-64). A change
    // here means a different model file, tokenizer or pooling: a new model id, so re-embed.
    List<float[]> vectors =
        embedder.embedPassages(
            List.of(
                "the cat sits on the mat",
                "quarterly tax report",
                "Kafka Streams partitions work by key."));

    assertStartsWith(
        vectors.get(0),
        0.13489065f, -0.03206332f, -0.020335246f, 0.035900895f,
        -0.028333068f, 0.04150211f, 0.033158798f, 0.036605682f);
    assertStartsWith(
        vectors.get(1),
        0.0056007514f, 0.0662395f, -0.010294805f, 0.0031493532f,
        -0.036381762f, 0.026422545f, -0.023487404f, -4.2149684E-4f);
    assertStartsWith(
        vectors.get(2),
        -0.014952063f, -0.029928127f, -0.03820386f, -0.011065001f,
        0.017023835f, -0.0072893947f, -0.033630792f, 0.014875969f);
  }

  @Test
  void vectorsHaveUnitLength() {
    float[] vector = embedder.embedQuery("how are documents chunked?");

    assertThat(Math.sqrt(squaredNorm(vector))).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void aThousandTokenTextEmbedsAsExactlyItsFirstWindow() {
    String text = TestTexts.prose(70);
    ModelTokenizer tokenizer = model.tokenizer();
    assertThat(tokenizer.countTokens(text)).isBetween(1000, 1400);
    List<ModelTokenizer.Span> spans = tokenizer.tokenSpans(text);
    int contentTokens = tokenizer.windowTokens() - 2;
    String firstWindow = text.substring(0, spans.get(contentTokens - 1).end());
    assertThat(tokenizer.countTokens(firstWindow)).isEqualTo(tokenizer.windowTokens());

    float[] whole = embedder.embedPassages(List.of(text)).get(0);
    float[] window = embedder.embedPassages(List.of(firstWindow)).get(0);
    float[] windowAndOneMore =
        embedder.embedPassages(List.of(text.substring(0, spans.get(contentTokens).end()))).get(0);

    assertThat(cosine(whole, window)).isGreaterThan(0.99999);
    assertThat(windowAndOneMore).containsExactly(whole);
  }

  @Test
  void similarMeaningIsCloser() {
    List<float[]> v =
        embedder.embedPassages(
            List.of("the cat sits on the mat", "a kitten on a rug", "quarterly tax report"));

    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void batchEqualsOneByOneInInputOrder() {
    // More than one batch of 32, lengths 20 to 80 tokens in shuffled order.
    List<String> texts = TestTexts.variedLengths(36);

    List<float[]> batched = embedder.embedPassages(texts);

    assertThat(batched).hasSameSizeAs(texts);
    // Every third text, for time: a misplaced vector would fail most of them.
    for (int i = 0; i < texts.size(); i += 3) {
      float[] single = embedder.embedPassages(List.of(texts.get(i))).get(0);
      assertThat(cosine(batched.get(i), single)).as("text %d", i).isGreaterThan(0.9999);
    }
  }

  @Test
  void queryHasNoPrefixForMiniLm() {
    String query = "where is the cat?";

    assertThat(embedder.embedQuery(query))
        .containsExactly(embedder.embedPassages(List.of(query)).get(0));
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertThat(embedder.embedPassages(List.of())).isEmpty();
  }

  private static void assertStartsWith(float[] vector, float... expected) {
    for (int d = 0; d < expected.length; d++) {
      assertThat(vector[d]).as("dimension %d", d).isCloseTo(expected[d], within(2e-4f));
    }
    assertThat(Math.sqrt(squaredNorm(vector))).isCloseTo(1.0, within(1e-5));
  }

  private static double squaredNorm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return sum;
  }
}
