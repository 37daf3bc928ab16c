package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts a document's blocks into chunks measured in the embedding model's own tokens: sections (heading
 * paths) first, then paragraphs (list items, table rows), then sentences; only a sentence longer than
 * the budget is cut mid-sentence, at a token boundary. No chunk exceeds {@link
 * ChunkingPolicy#maxTokens()}, special tokens included.
 *
 * <p>Chunk boundaries are local, so that editing one paragraph changes only that paragraph's chunks
 * and every other chunk keeps its hash and point id:
 *
 * <ul>
 *   <li>a paragraph of at least {@link ChunkingPolicy#minParagraphTokens()} that fits is one chunk,
 *       together with the short blocks (a heading, a caption) just before it;
 *   <li>a run of short paragraphs (one-line list items, table rows) is grouped up to {@link
 *       ChunkingPolicy#smallRunTokens()} and then cut after a paragraph chosen by a hash of its own
 *       text, so that after an insertion the cuts fall on the same paragraphs again (content-defined
 *       chunking, as rsync does with bytes);
 *   <li>overlap is added only between the pieces of one paragraph that had to be split.
 * </ul>
 *
 * <p>A chunk never spans two sections, except that a section holding nothing but its heading (a
 * chapter title straight above its first subsection) joins the next one. Thread-safe.
 */
public final class TextChunker {
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");

  private final ModelTokenizer tokenizer;
  private final ChunkingPolicy policy;
  private final ParagraphSplitter splitter;

  TextChunker(ModelTokenizer tokenizer, ChunkingPolicy policy) {
    if (policy.maxTokens() > tokenizer.windowTokens()) {
      throw new IllegalArgumentException(
          "chunk budget " + policy.maxTokens() + " exceeds the model window " + tokenizer.windowTokens());
    }
    this.tokenizer = tokenizer;
    this.policy = policy;
    this.splitter = new ParagraphSplitter(tokenizer, policy);
  }

  /**
   * One chunk.
   *
   * @param text normalised text, what is embedded and hashed
   * @param section heading path, {@code " > "} separated; empty when none
   * @param tokens model tokens of {@code text}, special tokens included
   * @param flags what index-time checks found in {@code text} (e.g. {@value PromptInjectionDetector#FLAG}),
   *     sorted; set after chunking, empty until then
   */
  public record ChunkText(String text, String section, int tokens, List<String> flags) {
    public ChunkText {
      flags = List.copyOf(flags);
    }

    /** A chunk without flags, as the chunker cuts it. */
    public ChunkText(String text, String section, int tokens) {
      this(text, section, tokens, List.of());
    }

    /** This chunk with {@code flags} (sorted, so that records and comparisons are stable). */
    public ChunkText withFlags(Collection<String> flags) {
      return new ChunkText(text, section, tokens, flags.stream().sorted().toList());
    }
  }

  /** Chunks of a plain text whose paragraphs are separated by blank lines. */
  List<ChunkText> chunk(String text) {
    List<TextBlock> blocks = new ArrayList<>();
    for (String raw : PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace('\r', '\n'))) {
      blocks.add(new TextBlock(List.of(), TextBlock.Kind.PARAGRAPH, raw, 0));
    }
    return chunk(TextNormaliser.clean(blocks));
  }

  /** Chunks of cleaned blocks ({@link TextNormaliser#clean}), in order. */
  List<ChunkText> chunk(List<TextBlock> blocks) {
    List<ChunkText> chunks = new ArrayList<>();
    Group group = new Group();
    for (TextBlock block : blocks) {
      if (!group.isEmpty() && !group.section.equals(block.section()) && !group.headingsOnly) {
        group.flushTo(chunks);
      }
      int tokens = tokenizer.countTokens(block.text());
      if (tokens > policy.maxTokens()) {
        // A short lead-in (a heading) opens the first piece rather than standing alone.
        String leadIn = "";
        if (!group.isEmpty() && group.tokens < policy.minParagraphTokens()) {
          leadIn = group.text();
          group.clear();
        }
        group.flushTo(chunks);
        chunks.addAll(splitter.split(leadIn, block.text(), block.section()));
        continue;
      }
      if (!group.isEmpty() && group.tokensWith(tokens) > policy.maxTokens()) {
        group.flushTo(chunks);
      }
      group.add(block, tokens);
      boolean heading = block.kind() == TextBlock.Kind.HEADING;
      boolean standsAlone = tokens >= policy.minParagraphTokens();
      boolean runComplete = group.tokens >= policy.smallRunTokens() && isCutPoint(block.text());
      if (!heading && (standsAlone || runComplete)) {
        group.flushTo(chunks);
      }
    }
    // Headings with nothing under them (empty trailing sheets, a closing "Appendix") are not content,
    // unless they are all the document has.
    if (!group.headingsOnly || chunks.isEmpty()) {
      group.flushTo(chunks);
    }
    return chunks;
  }

  // One paragraph in two, chosen by its own text alone.
  private static boolean isCutPoint(String text) {
    int h = text.hashCode() * 0x9E3779B9;
    return (h >>> 31) == 0;
  }

  /**
   * Blocks gathered into the next chunk. Its size is the sum of its blocks' sizes, less the special
   * tokens counted once per block: exact for WordPiece tokenizers, which split on whitespace first,
   * and it saves re-tokenising the growing group for every block. The chunk's text is counted exactly
   * when it is emitted.
   */
  private final class Group {
    private final List<String> texts = new ArrayList<>();
    String section = "";
    int tokens;
    boolean headingsOnly = true;

    boolean isEmpty() {
      return texts.isEmpty();
    }

    int tokensWith(int blockTokens) {
      return isEmpty() ? blockTokens : tokens + blockTokens - splitter.specialTokens();
    }

    void add(TextBlock block, int blockTokens) {
      tokens = tokensWith(blockTokens);
      texts.add(block.text());
      section = block.section();
      headingsOnly &= block.kind() == TextBlock.Kind.HEADING;
    }

    String text() {
      return String.join(" ", texts);
    }

    void flushTo(List<ChunkText> chunks) {
      if (!isEmpty()) {
        String text = text();
        int exact = tokenizer.countTokens(text);
        if (exact <= policy.maxTokens()) {
          chunks.add(new ChunkText(text, section, exact));
        } else {
          // A tokenizer whose counts do not add up: each block fits on its own.
          texts.forEach(t -> chunks.add(new ChunkText(t, section, tokenizer.countTokens(t))));
        }
      }
      clear();
    }

    void clear() {
      texts.clear();
      section = "";
      tokens = 0;
      headingsOnly = true;
    }
  }
}
