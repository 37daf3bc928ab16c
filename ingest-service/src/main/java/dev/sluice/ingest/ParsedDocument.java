package dev.sluice.ingest;

import java.util.List;
import java.util.Optional;

/**
 * What a parser extracted from one document, before cleaning.
 *
 * @param blocks the text, block by block in reading order (embedded documents in place)
 * @param title title found in the document's metadata
 * @param contentType detected media type
 * @param parserFound false when Tika has no parser for the type and fell back to its empty parser
 */
record ParsedDocument(List<TextBlock> blocks, Optional<String> title, String contentType, boolean parserFound) {
  ParsedDocument {
    blocks = List.copyOf(blocks);
  }
}
