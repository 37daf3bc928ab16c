package dev.sluice.ingest;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.exception.AccessPermissionException;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.FileTooLongException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.EmptyParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.html.DefaultHtmlMapper;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;

/**
 * Extracts structured text with Tika's {@link AutoDetectParser} under limits: characters, embedded
 * depth and count, expansion ratio (Tika's zip-bomb check), no OCR, no page headers and footers of
 * Office documents, no navigation and footers of HTML pages. Runs in the calling thread with no
 * timeout: {@link ProcessParser} and {@link ThreadParser} isolate it. Thread-safe.
 */
final class TikaDocumentParser {
  private static final int MAX_TITLE_CHARS = 500;

  private final AutoDetectParser parser;
  private final ParseLimits limits;

  TikaDocumentParser(ParseLimits limits) {
    this.limits = limits;
    this.parser = new AutoDetectParser(TikaConfig.getDefaultConfig());
    AutoDetectParserConfig config = new AutoDetectParserConfig();
    config.setOutputThreshold(ParseLimits.BOMB_CHECK_THRESHOLD_CHARS);
    config.setMaximumCompressionRatio(ParseLimits.MAX_COMPRESSION_RATIO);
    // Tika's own nesting check fails the whole document; LimitedEmbeddedExtractor skips what is too
    // deep first, so Tika's limit only has to stay above ours.
    config.setMaximumPackageEntryDepth(Math.max(10, limits.maxEmbeddedDepth() + 2));
    parser.setAutoDetectParserConfig(config);
  }

  /** The document's blocks, or why there are none. */
  ParsedDocument parse(ParseRequest request) throws ParseFailure {
    Metadata metadata = new Metadata();
    if (!request.fileName().isEmpty()) {
      metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, request.fileName());
    }
    request.declaredType().ifPresent(type -> metadata.set(Metadata.CONTENT_TYPE, type));
    StructureHandler structure = new StructureHandler(limits.maxChars());
    try (InputStream in = TikaInputStream.get(request.content())) {
      parser.parse(in, new BodyContentHandler(structure), metadata, context());
    } catch (Throwable e) {
      throw classify(e).withContentType(metadata.get(Metadata.CONTENT_TYPE));
    }
    String type = Optional.ofNullable(metadata.get(Metadata.CONTENT_TYPE)).orElse("application/octet-stream");
    Optional<String> title = Optional.ofNullable(metadata.get(TikaCoreProperties.TITLE))
        .map(TextNormaliser::normalise).filter(t -> !t.isEmpty())
        .map(t -> t.length() > MAX_TITLE_CHARS ? t.substring(0, MAX_TITLE_CHARS) : t);
    String[] parsedBy = metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY);
    boolean parserFound = Arrays.stream(parsedBy).noneMatch(EmptyParser.class.getName()::equals);
    return new ParsedDocument(structure.blocks(), title, type, parserFound);
  }

  private ParseContext context() {
    ParseContext context = new ParseContext();
    context.set(Parser.class, parser);
    context.set(EmbeddedDocumentExtractor.class,
        new LimitedEmbeddedExtractor(context, limits.maxEmbeddedDepth(), limits.maxEmbeddedCount()));
    TesseractOCRConfig noOcr = new TesseractOCRConfig();
    noOcr.setSkipOcr(true);
    context.set(TesseractOCRConfig.class, noOcr);
    PDFParserConfig pdf = new PDFParserConfig();
    pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
    pdf.setExtractInlineImages(false);
    context.set(PDFParserConfig.class, pdf);
    OfficeParserConfig office = new OfficeParserConfig();
    office.setIncludeHeadersAndFooters(false);
    office.setIncludeDeletedContent(false);
    office.setExtractMacros(false);
    context.set(OfficeParserConfig.class, office);
    context.set(HtmlMapper.class, BoilerplateHtmlMapper.INSTANCE);
    return context;
  }

  /** Maps a parser's exception to a reason code a person can act on. */
  static ParseFailure classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName();
      if (t instanceof EncryptedDocumentException || t instanceof AccessPermissionException
          || name.endsWith("EncryptedDocumentException") || name.endsWith("InvalidPasswordException")) {
        return failure(IngestReasons.ENCRYPTED, "the document is encrypted or password protected; publish an unprotected copy", t);
      }
      if (WriteLimitReachedException.isWriteLimitReached(t)) {
        return failure(IngestReasons.TOO_LARGE, "the document holds more than the limit of characters", t);
      }
      if (name.endsWith("SecureContentHandler$SecureSAXException") || String.valueOf(t.getMessage()).startsWith("Zip bomb detected")) {
        return failure(IngestReasons.TOO_LARGE, "the document expands far beyond its size (suspected zip bomb)", t);
      }
      if (t instanceof TikaMemoryLimitException || t instanceof FileTooLongException || t instanceof OutOfMemoryError) {
        return failure(IngestReasons.TOO_LARGE, "parsing the document needs more memory than allowed", t);
      }
      if (t instanceof ZeroByteFileException) {
        return failure(IngestReasons.EMPTY, "the document is zero bytes long", t);
      }
      if (t instanceof UnsupportedFormatException || name.endsWith("OldFileFormatException")
          || name.endsWith("OldWordFileFormatException") || name.endsWith("OldExcelFormatException")) {
        return failure(IngestReasons.UNSUPPORTED_TYPE, "this format (or version of it) is not supported", t);
      }
    }
    if (error instanceof StackOverflowError) {
      return failure(IngestReasons.CORRUPT, "the document nests too deeply to parse", error);
    }
    Throwable cause = error instanceof TikaException && error.getCause() != null ? error.getCause() : error;
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : firstLine(cause.getMessage());
    return failure(IngestReasons.CORRUPT, "the document cannot be parsed: " + detail, error);
  }

  private static ParseFailure failure(String reason, String message, Throwable cause) {
    return new ParseFailure(reason, message, cause);
  }

  private static String firstLine(String message) {
    String line = message.lines().findFirst().orElse("").strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /** Tika's HTML mapping, also dropping navigation, sidebars and page footers with their text. */
  private static final class BoilerplateHtmlMapper extends DefaultHtmlMapper {
    static final HtmlMapper INSTANCE = new BoilerplateHtmlMapper();

    @Override
    public boolean isDiscardElement(String name) {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      return lower.equals("nav") || lower.equals("aside") || lower.equals("footer") || super.isDiscardElement(name);
    }
  }
}
