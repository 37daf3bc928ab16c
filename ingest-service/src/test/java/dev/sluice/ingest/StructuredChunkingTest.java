package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.embedding.ModelTokenizer;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunking of real structure: documents parsed by real Tika, cleaned, and cut with the real model
 * tokenizer. Every test checks the budget on every chunk.
 */
class StructuredChunkingTest {
  private static final int BUDGET = 256;
  private static EmbeddingModel model;
  private static ModelTokenizer tokenizer;
  private static TikaDocumentParser tika;
  private static TextChunker chunker;

  @BeforeAll
  static void load() {
    model = ModelCatalogue.loadDefault();
    tokenizer = model.tokenizer();
    tika = new TikaDocumentParser(ParseLimits.DEFAULT);
    chunker = new TextChunker(tokenizer, ChunkingPolicy.DEFAULT);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<TextChunker.ChunkText> chunkHtml(String body) throws ParseFailure {
    return chunk("<html><head><title>T</title></head><body>" + body + "</body></html>", "doc.html");
  }

  private static List<TextChunker.ChunkText> chunk(String content, String fileName) throws ParseFailure {
    ParsedDocument parsed = tika.parse(new ParseRequest(content.getBytes(StandardCharsets.UTF_8), fileName, Optional.empty()));
    List<TextChunker.ChunkText> chunks = chunker.chunk(TextNormaliser.clean(parsed.blocks()));
    assertWithinBudget(chunks);
    return chunks;
  }

  private static void assertWithinBudget(List<TextChunker.ChunkText> chunks) {
    assertThat(chunks).isNotEmpty().allSatisfy(c -> {
      assertThat(c.tokens()).isLessThanOrEqualTo(BUDGET);
      assertThat(tokenizer.countTokens(c.text())).isEqualTo(c.tokens());
    });
  }

  private static String sentences(int count, String topic) {
    return IntStream.range(0, count)
        .mapToObj(i -> "Sentence " + i + " explains one more detail about the " + topic + " and why it matters to readers.")
        .collect(Collectors.joining(" "));
  }

  @Test
  void headingsBecomeTheSectionPathAndChunksNeverSpanSections() throws ParseFailure {
    List<TextChunker.ChunkText> chunks = chunkHtml(
        "<h1>Runbook</h1><h2>Valves</h2><p>" + sentences(4, "valve") + "</p><p>" + sentences(3, "gasket") + "</p>"
            + "<h2>Pumps</h2><p>" + sentences(30, "pump") + "</p>"
            + "<h1>Appendix</h1><p>" + sentences(2, "glossary") + "</p>");
    assertThat(chunks.get(0).section()).isEqualTo("Runbook > Valves");
    assertThat(chunks.get(0).text()).as("the headings open their section's first chunk").startsWith("Runbook Valves Sentence 0");
    assertThat(chunks).filteredOn(c -> c.text().contains("valve")).allSatisfy(c -> assertThat(c.section()).isEqualTo("Runbook > Valves"));
    assertThat(chunks).filteredOn(c -> c.text().contains("pump")).hasSizeGreaterThan(1)
        .allSatisfy(c -> assertThat(c.section()).isEqualTo("Runbook > Pumps").doesNotContain("valve"));
    assertThat(chunks.get(chunks.size() - 1).section()).isEqualTo("Appendix");
    assertThat(chunks.get(chunks.size() - 1).text()).startsWith("Appendix Sentence 0").doesNotContain("pump");
  }

  @Test
  void listItemsAreKeptWholeAndGroupedWithoutOverlap() throws ParseFailure {
    List<String> items = IntStream.range(0, 120).mapToObj(i -> "Check item " + i + ": the " + (i % 2 == 0 ? "north" : "south") + " gate latch").toList();
    List<TextChunker.ChunkText> chunks = chunkHtml("<h2>Checklist</h2><ul>" + items.stream().map(i -> "<li>" + i + "</li>").collect(Collectors.joining()) + "</ul>");
    assertThat(chunks.size()).as("grouped, not one chunk per item").isBetween(4, 30);
    for (String item : items) {
      assertThat(chunks).as(item).filteredOn(c -> containsItem(c.text(), item)).hasSize(1);
    }
    assertThat(chunks).allSatisfy(c -> assertThat(c.section()).isEqualTo("Checklist"));
  }

  private static boolean containsItem(String chunk, String item) {
    return (" " + chunk + " ").contains(" " + item + " ") || chunk.endsWith(item) || chunk.startsWith(item + " ");
  }

  @Test
  void tableRowsKeepTheirCellsTogether() throws ParseFailure {
    StringBuilder table = new StringBuilder("<h3>Readings</h3><table><tr><th>Valve</th><th>Pressure</th><th>Inspector</th></tr>");
    for (int i = 0; i < 80; i++) {
      table.append("<tr><td>V-").append(i).append("</td><td>").append(100 + i).append(" kPa</td><td>inspector ").append(i % 7).append("</td></tr>");
    }
    List<TextChunker.ChunkText> chunks = chunkHtml(table.append("</table>").toString());
    assertThat(chunks.get(0).text()).startsWith("Readings Valve | Pressure | Inspector V-0 | 100 kPa | inspector 0");
    for (int i = 0; i < 80; i++) {
      String row = "V-" + i + " | " + (100 + i) + " kPa | inspector " + (i % 7);
      assertThat(chunks).as(row).filteredOn(c -> c.text().contains(row)).hasSize(1);
    }
  }

  @Test
  void sentencesAreNeverSplitWhenTheyFit() throws ParseFailure {
    Random random = new Random(11);
    String[] words = "harbour ledger falcon orchard copper lantern glacier meadow archive compass quarry violin".split(" ");
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      int length = 4 + random.nextInt(i % 10 == 0 ? 140 : 30);
      sentences.add(IntStream.range(0, length).mapToObj(w -> words[random.nextInt(words.length)]).collect(Collectors.joining(" ", "Line" + i + " ", ".")));
    }
    List<TextChunker.ChunkText> chunks = chunkHtml("<p>" + String.join(" ", sentences) + "</p>");
    assertThat(chunks.size()).isGreaterThan(5);
    for (String sentence : sentences) {
      assertThat(chunks).as("whole somewhere: " + sentence).anySatisfy(c -> assertThat(c.text()).contains(sentence));
    }
    for (TextChunker.ChunkText chunk : chunks) {
      assertThat(chunk.text()).startsWith("Line").endsWith(".");
    }
  }

  @Test
  void piecesOfASplitParagraphOverlapBySentencesWithinFifteenPercent() throws ParseFailure {
    List<TextChunker.ChunkText> chunks = chunkHtml("<p>" + sentences(60, "lighthouse") + "</p>");
    assertThat(chunks.size()).isGreaterThan(3);
    for (int i = 1; i < chunks.size(); i++) {
      List<String> previous = sentencesOf(chunks.get(i - 1).text());
      String firstOfNext = sentencesOf(chunks.get(i).text()).get(0);
      assertThat(previous).as("piece %d starts with a sentence of piece %d", i, i - 1).contains(firstOfNext);
      String overlap = String.join(" ", previous.subList(previous.indexOf(firstOfNext), previous.size()));
      assertThat(tokenizer.countTokens(overlap) - 2).isLessThanOrEqualTo(BUDGET * 15 / 100);
    }
  }

  @Test
  void separateParagraphsNeverOverlap() throws ParseFailure {
    List<TextChunker.ChunkText> chunks = chunkHtml(IntStream.range(0, 10).mapToObj(i -> "<p>" + sentences(3, "topic" + i) + "</p>").collect(Collectors.joining()));
    assertThat(chunks).hasSize(10);
    for (int i = 0; i < 10; i++) {
      String topic = "topic" + i + " ";
      assertThat(chunks).filteredOn(c -> c.text().contains(topic)).hasSize(1);
    }
  }

  private static List<String> sentencesOf(String text) {
    BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
    iterator.setText(text);
    List<String> out = new ArrayList<>();
    for (int start = iterator.first(), end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
      out.add(text.substring(start, end).strip());
    }
    return out;
  }

  @Test
  void aVeryLongSentenceIsCutAtTokenBoundariesWithOverlap() throws ParseFailure {
    String run = IntStream.range(0, 2000).mapToObj(i -> "word" + (i % 53)).collect(Collectors.joining(" "));
    List<TextChunker.ChunkText> chunks = chunk(run, "run.txt");
    assertThat(chunks.size()).isGreaterThan(8);
    assertThat(chunks.get(0).text()).startsWith("word0 word1");
    assertThat(chunks.get(chunks.size() - 1).text()).endsWith("word" + (1999 % 53));
    for (int i = 1; i < chunks.size(); i++) {
      String tail = chunks.get(i - 1).text().substring(chunks.get(i - 1).text().length() - 20);
      assertThat(chunks.get(i).text()).as("window %d repeats the end of window %d", i, i - 1).contains(tail.substring(tail.indexOf(' ') + 1));
    }
  }

  @Test
  void cjkTextIsCutBetweenSentencesWithinTheBudget() throws ParseFailure {
    String sentence = "東京は日本の首都であり、世界最大の都市圏の一つです。";
    List<TextChunker.ChunkText> chunks = chunk(IntStream.range(0, 120).mapToObj(i -> sentence).collect(Collectors.joining()), "tokyo.txt");
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.text()).startsWith("東京").endsWith("。"));
  }

  @Test
  void cjkWithoutPunctuationIsCutAtTokenBoundaries() throws ParseFailure {
    String run = "東京は日本の首都であり世界最大の都市圏の一つです".repeat(100);
    List<TextChunker.ChunkText> chunks = chunk(run, "tokyo.txt");
    assertThat(chunks.size()).isGreaterThan(1);
  }

  @Test
  void plainTextParagraphsAreSplitOnBlankLines() throws ParseFailure {
    String text = IntStream.range(0, 6).mapToObj(i -> sentences(2, "paragraph" + i)).collect(Collectors.joining("\n\n"));
    List<TextChunker.ChunkText> chunks = chunk(text, "notes.txt");
    assertThat(chunks).hasSize(6);
    assertThat(chunks.get(3).text()).isEqualTo(sentences(2, "paragraph3"));
  }

  @Test
  void aOneParagraphEditChangesOnlyThatParagraphsChunks() throws ParseFailure {
    // The shape of the acceptance check: 40 paragraphs of six sentences, paragraph 20 rewritten.
    Random random = new Random(7);
    String[] nouns = "harbor ledger falcon orchard copper lantern glacier meadow archive compass".split(" ");
    List<String> paragraphs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int p = i;
      paragraphs.add(IntStream.range(0, 6).mapToObj(j -> "The " + nouns[random.nextInt(10)] + " keeper inspects the " + nouns[random.nextInt(10)]
          + " near the " + nouns[random.nextInt(10)] + " in section " + p + ".").collect(Collectors.joining(" ")));
    }
    Set<String> before = texts(chunk(String.join("\n\n", paragraphs), "handbook.txt"));
    paragraphs.set(20, "Revised policy: every vermilion okapi must be registered with the quartermaster before the winter solstice.");
    Set<String> after = texts(chunk(String.join("\n\n", paragraphs), "handbook.txt"));
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    assertThat(added).hasSizeLessThanOrEqualTo(3).anySatisfy(t -> assertThat(t).contains("vermilion okapi"));
  }

  @Test
  void anInsertedLineInALongRunOfShortLinesChangesFewChunks() throws ParseFailure {
    List<String> lines = IntStream.range(0, 400).mapToObj(i -> "<p>Entry " + i + " logged by " + (i % 13) + "</p>").collect(Collectors.toCollection(ArrayList::new));
    Set<String> before = texts(chunkHtml(String.join("", lines)));
    lines.add(150, "<p>An extra entry squeezed in later</p>");
    Set<String> after = texts(chunkHtml(String.join("", lines)));
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    assertThat(before.size()).as("short lines are grouped").isLessThan(80);
    assertThat(added).as("content-defined cuts resynchronise").hasSizeLessThanOrEqualTo(3);
  }

  private static Set<String> texts(List<TextChunker.ChunkText> chunks) {
    return chunks.stream().map(TextChunker.ChunkText::text).collect(Collectors.toSet());
  }

  @Test
  void runningHeadersPageNumbersAndWhitespaceAreCleanedBeforeHashing() {
    List<TextBlock> pages = new ArrayList<>();
    for (int page = 1; page <= 6; page++) {
      pages.add(new TextBlock(List.of(), TextBlock.Kind.PARAGRAPH, "ACME Corp  —  Confidential draft " + page, page));
      pages.add(new TextBlock(List.of(), TextBlock.Kind.PARAGRAPH, "Body text of page " + page + " with real content in it.", page));
      pages.add(new TextBlock(List.of(), TextBlock.Kind.PARAGRAPH, "Page " + page + " of 6", page));
    }
    List<TextBlock> cleaned = TextNormaliser.clean(pages);
    assertThat(cleaned).extracting(TextBlock::text).allSatisfy(t -> assertThat(t).startsWith("Body text of page"));
    List<TextBlock> spaced = TextNormaliser.clean(List.of(new TextBlock(List.of(" Intro "), TextBlock.Kind.PARAGRAPH, "A\u00a0line\u200b of\n text\u00ad.", 0)));
    List<TextBlock> plain = TextNormaliser.clean(List.of(new TextBlock(List.of("Intro"), TextBlock.Kind.PARAGRAPH, "A line of text.", 0)));
    assertThat(ChunkIdentity.documentHash(spaced)).isEqualTo(ChunkIdentity.documentHash(plain));
  }
}
