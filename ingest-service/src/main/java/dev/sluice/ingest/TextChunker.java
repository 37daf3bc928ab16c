package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import dev.sluice.embedding.ModelTokenizer.Span;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cuts text into chunks measured in the embedding model's own tokens: paragraphs first, then
 * sentences, and only a sentence longer than the budget is cut mid-sentence, at a token boundary.
 *
 * <p>Boundaries depend only on each paragraph's own text (a paragraph is one chunk when it fits; only
 * a tiny paragraph joins its successor), so editing one paragraph changes only that paragraph's
 * chunks and every other chunk keeps its hash and its point id. Thread-safe.
 */
final class TextChunker {
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final ModelTokenizer tokenizer;
  private final ChunkingPolicy policy;

  TextChunker(ModelTokenizer tokenizer, ChunkingPolicy policy) {
    if (policy.maxTokens() > tokenizer.windowTokens()) {
      throw new IllegalArgumentException(
          "chunk budget " + policy.maxTokens() + " exceeds the model window " + tokenizer.windowTokens());
    }
    this.tokenizer = tokenizer;
    this.policy = policy;
  }

  /** A chunk's text (normalised) and its size in model tokens. */
  record ChunkText(String text, String section, int tokens) {}

  List<ChunkText> chunk(String text) {
    List<ChunkText> chunks = new ArrayList<>();
    for (String paragraph : mergeTinyParagraphs(paragraphs(text))) {
      int tokens = tokenizer.countTokens(paragraph);
      if (tokens <= policy.maxTokens()) {
        chunks.add(new ChunkText(paragraph, "", tokens));
      } else {
        chunks.addAll(splitLongParagraph(paragraph));
      }
    }
    return chunks;
  }

  /** Whitespace-normalised paragraphs, so that cosmetic changes do not change chunk hashes. */
  static List<String> paragraphs(String text) {
    List<String> paragraphs = new ArrayList<>();
    for (String raw : PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace('\r', '\n'))) {
      String normalised = normalise(raw);
      if (!normalised.isEmpty()) {
        paragraphs.add(normalised);
      }
    }
    return paragraphs;
  }

  static String normalise(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  private List<String> mergeTinyParagraphs(List<String> paragraphs) {
    List<String> merged = new ArrayList<>();
    String carry = null;
    for (String paragraph : paragraphs) {
      String candidate = carry == null ? paragraph : carry + " " + paragraph;
      if (carry != null && tokenizer.countTokens(candidate) > policy.maxTokens()) {
        merged.add(carry);
        candidate = paragraph;
      }
      if (tokenizer.countTokens(paragraph) < policy.minParagraphTokens()) {
        carry = candidate;
      } else {
        merged.add(candidate);
        carry = null;
      }
    }
    if (carry != null) {
      merged.add(carry);
    }
    return merged;
  }

  private List<ChunkText> splitLongParagraph(String paragraph) {
    List<ChunkText> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String sentence : sentences(paragraph)) {
      String candidate = current.isEmpty() ? sentence : current + " " + sentence;
      if (tokenizer.countTokens(candidate) <= policy.maxTokens()) {
        current.setLength(0);
        current.append(candidate);
        continue;
      }
      flush(current, chunks);
      if (tokenizer.countTokens(sentence) <= policy.maxTokens()) {
        current.append(sentence);
      } else {
        chunks.addAll(splitAtTokens(sentence));
      }
    }
    flush(current, chunks);
    return chunks;
  }

  private void flush(StringBuilder current, List<ChunkText> chunks) {
    if (!current.isEmpty()) {
      String text = current.toString();
      chunks.add(new ChunkText(text, "", tokenizer.countTokens(text)));
      current.setLength(0);
    }
  }

  private static List<String> sentences(String paragraph) {
    BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
    iterator.setText(paragraph);
    List<String> sentences = new ArrayList<>();
    for (int start = iterator.first(), end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
      String sentence = paragraph.substring(start, end).strip();
      if (!sentence.isEmpty()) {
        sentences.add(sentence);
      }
    }
    return sentences;
  }

  /** Cuts one over-long sentence into windows of whole tokens. */
  private List<ChunkText> splitAtTokens(String sentence) {
    List<Span> spans = tokenizer.tokenSpans(sentence);
    // What an empty text costs is the model's special tokens ([CLS], [SEP]).
    int specialTokens = tokenizer.countTokens("");
    int perWindow = policy.maxTokens() - specialTokens;
    List<ChunkText> windows = new ArrayList<>();
    for (int first = 0; first < spans.size(); ) {
      int last = Math.min(first + perWindow, spans.size()) - 1;
      String text = sentence.substring(spans.get(first).start(), spans.get(last).end()).strip();
      int tokens = tokenizer.countTokens(text);
      // Re-tokenising a cut can merge sub-words differently; shrink until the window fits.
      while (tokens > policy.maxTokens() && last > first) {
        last--;
        text = sentence.substring(spans.get(first).start(), spans.get(last).end()).strip();
        tokens = tokenizer.countTokens(text);
      }
      windows.add(new ChunkText(text, "", tokens));
      first = last + 1;
    }
    return windows;
  }
}
