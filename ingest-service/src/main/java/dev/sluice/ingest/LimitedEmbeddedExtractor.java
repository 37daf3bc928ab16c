package dev.sluice.ingest;

import java.io.IOException;
import java.io.InputStream;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Parses embedded documents (attachments, archive entries, objects in Office files) in place, up to a
 * nesting depth and a count; past either limit the rest are skipped, so a mail holding a zip of a
 * thousand zips is indexed by its first levels instead of failing or exploding. One per parse.
 */
final class LimitedEmbeddedExtractor implements EmbeddedDocumentExtractor {
  private final ParsingEmbeddedDocumentExtractor delegate;
  private final int maxDepth;
  private final int maxCount;
  private int depth;
  private int count;

  LimitedEmbeddedExtractor(ParseContext context, int maxDepth, int maxCount) {
    this.delegate = new ParsingEmbeddedDocumentExtractor(context);
    this.maxDepth = maxDepth;
    this.maxCount = maxCount;
  }

  @Override
  public boolean shouldParseEmbedded(Metadata metadata) {
    return depth < maxDepth && count < maxCount && delegate.shouldParseEmbedded(metadata);
  }

  @Override
  public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
      throws SAXException, IOException {
    // Some containers call parseEmbedded without asking first.
    if (!shouldParseEmbedded(metadata)) {
      return;
    }
    count++;
    depth++;
    try {
      delegate.parseEmbedded(stream, handler, metadata, outputHtml);
    } finally {
      depth--;
    }
  }
}
