package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chunker measured with the real model tokenizer. */
class TextChunkerTest {
  private static EmbeddingModel model;
  private static TextChunker chunker;
  // Tests that rebuild the input from the chunks need pieces without overlap.
  private static TextChunker withoutOverlap;

  @BeforeAll
  static void load() {
    model = ModelCatalogue.loadDefault();
    chunker = new TextChunker(model.tokenizer(), ChunkingPolicy.DEFAULT);
    withoutOverlap = new TextChunker(model.tokenizer(), new ChunkingPolicy(256, 0));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static String sentences(int count, String topic) {
    return IntStream.range(0, count)
        .mapToObj(i -> "Sentence " + i + " explains one more detail about the " + topic + " and why it matters to readers.")
        .collect(Collectors.joining(" "));
  }

  @Test
  void eachParagraphThatFitsIsOneChunk() {
    List<TextChunker.ChunkText> chunks = chunker.chunk(sentences(3, "harbour") + "\n\n" + sentences(3, "glacier"));
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).text()).contains("harbour").doesNotContain("glacier");
  }

  @Test
  void longParagraphIsSplitBetweenSentencesWithinTheBudget() {
    String paragraph = sentences(60, "lighthouse");
    List<TextChunker.ChunkText> chunks = withoutOverlap.chunk(paragraph);
    assertThat(chunks.size()).isGreaterThan(3);
    for (TextChunker.ChunkText chunk : chunks) {
      assertThat(model.tokenizer().countTokens(chunk.text())).isLessThanOrEqualTo(256).isEqualTo(chunk.tokens());
      assertThat(chunk.text()).startsWith("Sentence ").endsWith("readers.");
    }
    assertThat(chunks.stream().map(TextChunker.ChunkText::text).collect(Collectors.joining(" "))).isEqualTo(paragraph);
  }

  @Test
  void textWithoutPunctuationIsCutAtTokenBoundariesWithinTheBudget() {
    String run = IntStream.range(0, 1500).mapToObj(i -> "word" + (i % 37)).collect(Collectors.joining(" "));
    List<TextChunker.ChunkText> chunks = withoutOverlap.chunk(run);
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allSatisfy(c -> assertThat(model.tokenizer().countTokens(c.text())).isLessThanOrEqualTo(256));
    assertThat(chunks.stream().map(TextChunker.ChunkText::text).collect(Collectors.joining(" "))).isEqualTo(run);
  }

  @Test
  void cjkTextStaysWithinTheBudget() {
    String cjk = "東京は日本の首都であり、世界最大の都市圏の一つです。".repeat(80);
    List<TextChunker.ChunkText> chunks = chunker.chunk(cjk);
    assertThat(chunks).isNotEmpty();
    assertThat(chunks).allSatisfy(c -> assertThat(model.tokenizer().countTokens(c.text())).isLessThanOrEqualTo(256));
  }

  @Test
  void whitespaceDifferencesDoNotChangeChunks() {
    String tidy = "A line of text.\n\nAnother paragraph here.";
    String messy = "  A   line of\ttext.  \r\n\r\n\n   Another paragraph   here.\n";
    assertThat(chunker.chunk(messy)).isEqualTo(chunker.chunk(tidy));
  }

  @Test
  void tinyParagraphsJoinTheirSuccessor() {
    List<TextChunker.ChunkText> chunks = chunker.chunk("Runbook\n\n" + sentences(2, "turbine"));
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text()).startsWith("Runbook Sentence 0");
  }
}
