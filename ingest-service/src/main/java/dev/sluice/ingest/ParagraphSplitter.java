package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import dev.sluice.embedding.ModelTokenizer.Span;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts one paragraph longer than the budget into pieces: whole sentences packed up to the budget,
 * each piece after the first opening with the last sentences of the one before (up to {@link
 * ChunkingPolicy#overlapTokens()}), and a sentence longer than the budget cut into windows of whole
 * tokens that overlap likewise. Thread-safe.
 */
final class ParagraphSplitter {
  private final ModelTokenizer tokenizer;
  private final ChunkingPolicy policy;
  private final int specialTokens;

  ParagraphSplitter(ModelTokenizer tokenizer, ChunkingPolicy policy) {
    this.tokenizer = tokenizer;
    this.policy = policy;
    // What an empty text costs is the model's special tokens ([CLS], [SEP]).
    this.specialTokens = tokenizer.countTokens("");
  }

  /**
   * The pieces of {@code paragraph}.
   *
   * @param leadIn short text that opens the first piece (a heading), or empty
   */
  List<TextChunker.ChunkText> split(String leadIn, String paragraph, String section) {
    List<String> sentences = new ArrayList<>();
    if (!leadIn.isEmpty()) {
      sentences.add(leadIn);
    }
    sentences.addAll(sentences(paragraph));
    List<TextChunker.ChunkText> pieces = new ArrayList<>();
    Piece current = new Piece();
    for (String sentence : sentences) {
      int tokens = tokenizer.countTokens(sentence);
      if (tokens > policy.maxTokens()) {
        current.emitTo(section, pieces);
        current = new Piece();
        pieces.addAll(windows(sentence, section));
        continue;
      }
      if (current.tokensWith(tokens) <= policy.maxTokens()) {
        current.add(sentence, tokens);
        continue;
      }
      current.emitTo(section, pieces);
      Piece next = current.overlapTail();
      if (next.tokensWith(tokens) > policy.maxTokens()) {
        next = new Piece();
      }
      next.add(sentence, tokens);
      current = next;
    }
    current.emitTo(section, pieces);
    return pieces;
  }

  /** What the model's special tokens ([CLS], [SEP]) add to any text. */
  int specialTokens() {
    return specialTokens;
  }

  /**
   * Sentences packed into one piece, sized as the sum of their sizes less the special tokens counted
   * once each (exact for WordPiece tokenizers); the emitted text is counted exactly.
   */
  private final class Piece {
    private final List<String> sentences = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private int tokens;

    int tokensWith(int sentenceTokens) {
      return sentences.isEmpty() ? sentenceTokens : tokens + sentenceTokens - specialTokens;
    }

    void add(String sentence, int sentenceTokens) {
      tokens = tokensWith(sentenceTokens);
      sentences.add(sentence);
      sizes.add(sentenceTokens);
    }

    /** The last sentences, within the overlap budget, never the whole piece. */
    Piece overlapTail() {
      int budget = policy.overlapTokens();
      int from = sentences.size();
      int used = 0;
      while (from > 1 && used + sizes.get(from - 1) - specialTokens <= budget) {
        used += sizes.get(from - 1) - specialTokens;
        from--;
      }
      Piece tail = new Piece();
      for (int i = from; i < sentences.size(); i++) {
        tail.add(sentences.get(i), sizes.get(i));
      }
      return tail;
    }

    void emitTo(String section, List<TextChunker.ChunkText> out) {
      if (sentences.isEmpty()) {
        return;
      }
      String text = String.join(" ", sentences);
      int exact = tokenizer.countTokens(text);
      if (exact <= policy.maxTokens()) {
        out.add(new TextChunker.ChunkText(text, section, exact));
      } else {
        // A tokenizer whose counts do not add up: each sentence fits on its own.
        for (int i = 0; i < sentences.size(); i++) {
          out.add(new TextChunker.ChunkText(sentences.get(i), section, sizes.get(i)));
        }
      }
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

  /** Cuts one over-long sentence into windows of whole tokens, consecutive windows overlapping. */
  private List<TextChunker.ChunkText> windows(String sentence, String section) {
    List<Span> spans = tokenizer.tokenSpans(sentence);
    int perWindow = policy.maxTokens() - specialTokens;
    int overlap = Math.min(policy.overlapTokens(), perWindow / 2);
    List<TextChunker.ChunkText> windows = new ArrayList<>();
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
      windows.add(new TextChunker.ChunkText(text, section, tokens));
      if (last == spans.size() - 1) {
        break;
      }
      first = Math.max(first + 1, last + 1 - overlap);
    }
    return windows;
  }
}
