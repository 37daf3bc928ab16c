package dev.sluice.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelTokenizerTest {

  private static EmbeddingModel model;
  private static ModelTokenizer tokenizer;

  @BeforeAll
  static void load() {
    model = ModelCatalogue.loadDefault();
    tokenizer = model.tokenizer();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void countIncludesClsAndSep() {
    assertThat(tokenizer.countTokens("")).isEqualTo(2);
    assertThat(tokenizer.countTokens("hello world")).isEqualTo(4);
  }

  @Test
  void countIsNotTruncatedAtTheWindow() {
    String text = TestTexts.prose(40);

    int count = tokenizer.countTokens(text);

    assertThat(count).isGreaterThan(tokenizer.windowTokens());
    assertThat(count).isEqualTo(tokenizer.tokenSpans(text).size() + 2);
  }

  @Test
  void spansCoverContentTokensInOrder() {
    String text = "Sluice embeds documents.";

    List<String> tokens = substrings(text, tokenizer.tokenSpans(text));

    // WordPiece splits rare words; the spans cut the original, cased text, not the lowercased one.
    assertThat(tokens).containsExactly("Sl", "ui", "ce", "em", "bed", "s", "documents", ".");
  }

  @Test
  void spansAreUtf16IndicesAfterSupplementaryCharacters() {
    String text = "cats 🐈 and dogs 🐕 play";

    List<String> tokens = substrings(text, tokenizer.tokenSpans(text));

    assertThat(tokens).containsExactly("cats", "🐈", "and", "dogs", "🐕", "play");
  }

  @Test
  void windowDefaultsTo256() {
    assertThat(tokenizer.windowTokens()).isEqualTo(256);
  }

  private static List<String> substrings(String text, List<ModelTokenizer.Span> spans) {
    return spans.stream().map(s -> text.substring(s.start(), s.end())).toList();
  }
}
