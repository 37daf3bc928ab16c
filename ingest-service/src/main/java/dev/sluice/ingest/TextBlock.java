package dev.sluice.ingest;

import java.util.List;

/**
 * One structural unit of a document's text, as Tika's XHTML outlines it.
 *
 * @param headings the heading path the block sits under, outermost first (a heading block's path
 *     ends with itself)
 * @param kind what the block is
 * @param text the block's text
 * @param page 1-based page (or sheet, slide) the block is on; 0 for documents without pages
 */
record TextBlock(List<String> headings, Kind kind, String text, int page) {
  TextBlock {
    headings = List.copyOf(headings);
  }

  /** What a block is; decides how it joins its neighbours. */
  enum Kind {
    HEADING,
    PARAGRAPH,
    LIST_ITEM,
    TABLE_ROW
  }

  /** The heading path as carried on chunks: {@code "Runbook > Valves"}, empty when none. */
  String section() {
    return String.join(" > ", headings);
  }
}
