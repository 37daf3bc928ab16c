package dev.sluice.ingest;

import java.util.Optional;

/**
 * Text extracted from one document.
 *
 * @param text extracted text, paragraphs separated by blank lines
 * @param title title found in the document's metadata
 * @param contentType detected media type
 */
record ParsedDocument(String text, Optional<String> title, String contentType) {}
