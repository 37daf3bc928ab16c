package dev.sluice.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.tika.exception.WriteLimitReachedException;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML SAX events every Tika parser emits into {@link TextBlock}s: headings (h1-h6) build
 * the heading path; paragraphs, list items and table rows become blocks under it. Text inside a row
 * or an item stays in that block whatever other elements it holds (a paragraph in a cell, a list in a
 * cell). A paragraph holding blank lines, as plain text arrives, is split at them. Receives only the
 * body (wrap it in Tika's {@code BodyContentHandler}). One per parse; not thread-safe.
 */
final class StructureHandler extends DefaultHandler {
  private static final Set<String> BLOCKS = Set.of(
      "p", "div", "pre", "blockquote", "table", "thead", "tbody", "tfoot", "ul", "ol", "dl", "dt", "dd",
      "section", "article", "header", "footer", "aside", "nav", "caption", "figure", "figcaption",
      "address", "hr", "form", "fieldset", "main", "center");
  private static final Pattern BLANK_LINE = Pattern.compile("\\n[\\s&&[^\\n]]*\\n\\s*");
  // A "heading" longer than this is a mis-tagged paragraph (some PDFs and Word styles do that).
  private static final int MAX_HEADING_CHARS = 300;

  private final int maxChars;
  private final List<TextBlock> blocks = new ArrayList<>();
  private final Deque<Heading> headings = new ArrayDeque<>();
  private List<String> path = List.of();
  private final StringBuilder text = new StringBuilder();
  private long chars;
  private int page;
  private int rowDepth;
  private int itemDepth;
  private int headingLevel;

  private record Heading(int level, String text) {}

  StructureHandler(int maxChars) {
    this.maxChars = maxChars;
  }

  /** The blocks extracted so far, in reading order. */
  List<TextBlock> blocks() {
    flush();
    return List.copyOf(blocks);
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) {
    String name = name(localName, qName);
    int level = headingLevel(name);
    if (level > 0 && rowDepth == 0) {
      flush();
      headingLevel = level;
    } else if (name.equals("tr")) {
      flush();
      rowDepth++;
    } else if (name.equals("li")) {
      if (rowDepth == 0) {
        flush();
      }
      itemDepth++;
    } else if (name.equals("td") || name.equals("th")) {
      // Cells are separated by " | "; empty cells add nothing, so no "| |" runs.
      String row = text.toString().strip();
      if (rowDepth > 0 && !row.isEmpty() && !row.endsWith("|")) {
        text.append(" | ");
      }
    } else if (name.equals("br")) {
      text.append('\n');
    } else if (BLOCKS.contains(name)) {
      if (name.equals("div") && "page".equals(atts.getValue("class"))) {
        page++;
      }
      boundary();
    }
  }

  @Override
  public void endElement(String uri, String localName, String qName) {
    String name = name(localName, qName);
    int level = headingLevel(name);
    if (level > 0 && headingLevel == level) {
      endHeading(level);
    } else if (name.equals("tr") && rowDepth > 0) {
      flush();
      rowDepth--;
    } else if (name.equals("li") && itemDepth > 0) {
      if (rowDepth == 0) {
        flush();
      }
      itemDepth--;
    } else if (BLOCKS.contains(name)) {
      boundary();
    }
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    chars += length;
    if (chars > maxChars) {
      throw new WriteLimitReachedException(maxChars);
    }
    text.append(ch, start, length);
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) {
    text.append(ch, start, length);
  }

  /** A block element inside a row, item or heading only separates words; elsewhere it ends a block. */
  private void boundary() {
    if (rowDepth > 0 || itemDepth > 0 || headingLevel > 0) {
      text.append(' ');
    } else {
      flush();
    }
  }

  private void endHeading(int level) {
    String heading = TextNormaliser.normalise(text.toString());
    text.setLength(0);
    headingLevel = 0;
    if (heading.isEmpty()) {
      return;
    }
    if (heading.length() > MAX_HEADING_CHARS) {
      blocks.add(new TextBlock(path, TextBlock.Kind.PARAGRAPH, heading, page));
      return;
    }
    while (!headings.isEmpty() && headings.peekLast().level() >= level) {
      headings.removeLast();
    }
    headings.addLast(new Heading(level, heading));
    path = headings.stream().map(Heading::text).toList();
    blocks.add(new TextBlock(path, TextBlock.Kind.HEADING, heading, page));
  }

  private void flush() {
    if (text.isEmpty()) {
      return;
    }
    String content = text.toString();
    text.setLength(0);
    if (content.isBlank()) {
      return;
    }
    if (headingLevel > 0) {
      // Text of a heading interrupted by a block element: keep it for the heading.
      text.append(content);
      return;
    }
    TextBlock.Kind kind = rowDepth > 0 ? TextBlock.Kind.TABLE_ROW
        : itemDepth > 0 ? TextBlock.Kind.LIST_ITEM : TextBlock.Kind.PARAGRAPH;
    if (kind == TextBlock.Kind.PARAGRAPH) {
      for (String paragraph : BLANK_LINE.split(content.replace("\r\n", "\n").replace('\r', '\n'))) {
        if (!paragraph.isBlank()) {
          blocks.add(new TextBlock(path, kind, paragraph, page));
        }
      }
    } else {
      blocks.add(new TextBlock(path, kind, content, page));
    }
  }

  private static String name(String localName, String qName) {
    return (localName == null || localName.isEmpty() ? qName : localName).toLowerCase(Locale.ROOT);
  }

  private static int headingLevel(String name) {
    if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
      return name.charAt(1) - '0';
    }
    return 0;
  }
}
