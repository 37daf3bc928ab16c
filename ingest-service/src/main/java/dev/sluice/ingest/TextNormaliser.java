package dev.sluice.ingest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cleans extracted text before it is hashed and chunked, so that changes a reader cannot see (line
 * wrapping, non-breaking spaces, ligatures, zero-width characters, page furniture) do not change
 * hashes and do not re-embed anything. Stateless; thread-safe.
 */
final class TextNormaliser {
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\u00AD&&[^\\s]]");
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");
  private static final Pattern PAGE_NUMBER = Pattern.compile(
      "(?i)(page|p\\.|seite|página|pagina)?\\s*[-–—]?\\s*\\d{1,4}\\s*[-–—]?\\s*((of|/|von|de|sur)\\s*\\d{1,4})?");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  // Running headers and footers are short lines at the top or bottom of most pages.
  private static final int FURNITURE_MAX_CHARS = 100;
  private static final int FURNITURE_EDGE_BLOCKS = 2;
  private static final int FURNITURE_MIN_PAGES = 3;

  private TextNormaliser() {}

  /** NFKC, invisible characters removed, every run of whitespace one space, trimmed. */
  static String normalise(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC);
    return WHITESPACE.matcher(INVISIBLE.matcher(folded).replaceAll("")).replaceAll(" ").strip();
  }

  /**
   * Normalised blocks with boilerplate removed: blocks without a letter or digit (rules, bullets),
   * bare page numbers, and, in paged documents, running headers and footers.
   */
  static List<TextBlock> clean(List<TextBlock> blocks) {
    Map<List<String>, List<String>> paths = new HashMap<>();
    List<TextBlock> normalised = new ArrayList<>(blocks.size());
    for (TextBlock block : blocks) {
      String text = normalise(block.text());
      boolean pageNumber = block.kind() == TextBlock.Kind.PARAGRAPH && PAGE_NUMBER.matcher(text).matches();
      if (!hasWord(text) || pageNumber) {
        continue;
      }
      List<String> headings = paths.computeIfAbsent(block.headings(), h -> h.stream().map(TextNormaliser::normalise).toList());
      normalised.add(new TextBlock(headings, block.kind(), text, block.page()));
    }
    return withoutRunningHeaders(normalised);
  }

  static boolean hasWord(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  private static List<TextBlock> withoutRunningHeaders(List<TextBlock> blocks) {
    int pages = blocks.stream().mapToInt(TextBlock::page).max().orElse(0);
    if (pages < FURNITURE_MIN_PAGES) {
      return blocks;
    }
    Map<String, Set<Integer>> pagesByLine = new HashMap<>();
    forEachEdgeBlock(blocks, b -> pagesByLine.computeIfAbsent(furnitureKey(b), k -> new HashSet<>()).add(b.page()));
    int threshold = Math.max(FURNITURE_MIN_PAGES, (pages + 1) / 2);
    Set<TextBlock> furniture = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    forEachEdgeBlock(blocks, b -> {
      if (pagesByLine.get(furnitureKey(b)).size() >= threshold) {
        furniture.add(b);
      }
    });
    return furniture.isEmpty() ? blocks : blocks.stream().filter(b -> !furniture.contains(b)).toList();
  }

  /** Calls {@code action} for the short paragraphs among the first and last blocks of each page. */
  private static void forEachEdgeBlock(List<TextBlock> blocks, java.util.function.Consumer<TextBlock> action) {
    int start = 0;
    while (start < blocks.size()) {
      int page = blocks.get(start).page();
      int end = start;
      while (end < blocks.size() && blocks.get(end).page() == page) {
        end++;
      }
      // A page holding a single block has no header apart from its body: that block is content.
      boolean hasBody = end - start > 1;
      for (int i = start; i < end; i++) {
        TextBlock b = blocks.get(i);
        boolean edge = i - start < FURNITURE_EDGE_BLOCKS || end - i <= FURNITURE_EDGE_BLOCKS;
        if (page > 0 && hasBody && edge && b.kind() == TextBlock.Kind.PARAGRAPH && b.text().length() <= FURNITURE_MAX_CHARS) {
          action.accept(b);
        }
      }
      start = end;
    }
  }

  // Page numbers inside a running header ("Annual report 2024 - 7") vary from page to page.
  private static String furnitureKey(TextBlock block) {
    return DIGITS.matcher(block.text().toLowerCase(Locale.ROOT)).replaceAll("#");
  }
}
