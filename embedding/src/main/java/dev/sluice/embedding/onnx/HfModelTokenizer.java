package dev.sluice.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.ModelTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model's HuggingFace tokenizer, twice: truncating at the window for the encoder, and whole for
 * chunkers, which need a text's true length. Both override the {@code tokenizer.json}'s own
 * truncation and fixed padding (langchain4j's exports pad every text to 128 tokens). Thread-safe.
 */
final class HfModelTokenizer implements ModelTokenizer, AutoCloseable {

  private final HuggingFaceTokenizer windowed;
  private final HuggingFaceTokenizer whole;
  private final int windowTokens;

  private HfModelTokenizer(
      HuggingFaceTokenizer windowed, HuggingFaceTokenizer whole, int windowTokens) {
    this.windowed = windowed;
    this.whole = whole;
    this.windowTokens = windowTokens;
  }

  static HfModelTokenizer load(String resource, int windowTokens) {
    byte[] json;
    try (InputStream in = HfModelTokenizer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new EmbeddingException(
            "Tokenizer resource '" + resource + "' is not on the classpath");
      }
      json = in.readAllBytes();
    } catch (IOException e) {
      throw new EmbeddingException("Tokenizer resource '" + resource + "' cannot be read", e);
    }
    // Padding is per batch, to the batch's longest text (TokenBatch), never to a fixed length.
    HuggingFaceTokenizer windowed =
        create(
            json,
            resource,
            Map.of(
                "truncation", "true",
                "maxLength", String.valueOf(windowTokens),
                "padding", "false"));
    try {
      HuggingFaceTokenizer whole =
          create(json, resource, Map.of("truncation", "false", "padding", "false"));
      return new HfModelTokenizer(windowed, whole, windowTokens);
    } catch (RuntimeException e) {
      windowed.close();
      throw e;
    }
  }

  private static HuggingFaceTokenizer create(
      byte[] json, String resource, Map<String, String> options) {
    try {
      return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    } catch (IOException | RuntimeException e) {
      throw new EmbeddingException("Tokenizer '" + resource + "' cannot be loaded: " + e, e);
    }
  }

  @Override
  public int windowTokens() {
    return windowTokens;
  }

  @Override
  public int countTokens(String text) {
    return whole.encode(text, true, false).getIds().length;
  }

  @Override
  public List<Span> tokenSpans(String text) {
    CharSpan[] spans = whole.encode(text, false, false).getCharTokenSpans();
    CodePoints codePoints = CodePoints.of(text);
    List<Span> result = new ArrayList<>(spans.length);
    for (CharSpan span : spans) {
      if (span != null) {
        result.add(
            new Span(codePoints.toIndex(span.getStart()), codePoints.toIndex(span.getEnd())));
      }
    }
    return List.copyOf(result);
  }

  /** What the encoder sees of each text: special tokens added, truncated at the window. */
  Encoding[] encodeForModel(List<String> texts) {
    return windowed.batchEncode(texts, true, false);
  }

  @Override
  public void close() {
    windowed.close();
    whole.close();
  }

  /**
   * The tokenizer reports offsets in code points; a Java string is indexed in UTF-16 units, which
   * differ after any character outside the Basic Multilingual Plane (emoji, for one).
   */
  private record CodePoints(int[] charIndex) {

    static CodePoints of(String text) {
      if (text.codePointCount(0, text.length()) == text.length()) {
        return new CodePoints(new int[0]);
      }
      int[] index = text.codePoints().map(Character::charCount).toArray();
      int[] starts = new int[index.length + 1];
      for (int i = 0; i < index.length; i++) {
        starts[i + 1] = starts[i] + index[i];
      }
      return new CodePoints(starts);
    }

    int toIndex(int codePoint) {
      return charIndex.length == 0 ? codePoint : charIndex[codePoint];
    }
  }
}
