package dev.sluice.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * Extracts text with Tika's {@link AutoDetectParser} under limits: bounded characters, a per-document
 * timeout (the parse runs on its own thread, abandoned when it overruns so the partition keeps
 * moving) and no OCR. One instance per stream thread; not thread-safe.
 */
final class TikaDocumentParser implements AutoCloseable {
  private final AutoDetectParser parser = new AutoDetectParser();
  private final ParseLimits limits;
  private ExecutorService worker = newWorker();

  TikaDocumentParser(ParseLimits limits) {
    this.limits = limits;
  }

  /**
   * @param fileName name hint for type detection (may be empty)
   * @param declaredType media type given by the publisher, a hint only
   */
  ParsedDocument parse(byte[] content, String fileName, Optional<String> declaredType) throws ParseFailure {
    if (content.length > limits.maxBytes()) {
      throw new ParseFailure("too-large", "document is " + content.length + " bytes, the limit is " + limits.maxBytes(), null);
    }
    Future<ParsedDocument> result = worker.submit(() -> extract(content, fileName, declaredType));
    try {
      return result.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      // A parser stuck in a loop ignores interrupts; give it up and carry on with a fresh thread.
      worker.shutdownNow();
      worker = newWorker();
      throw new ParseFailure("parse-timeout", "parsing took longer than " + limits.timeout().toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    } catch (ExecutionException e) {
      throw classify(e.getCause());
    }
  }

  private ParsedDocument extract(byte[] content, String fileName, Optional<String> declaredType)
      throws IOException, SAXException, TikaException {
    Metadata metadata = new Metadata();
    if (!fileName.isEmpty()) {
      metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
    }
    declaredType.ifPresent(type -> metadata.set(Metadata.CONTENT_TYPE, type));
    BodyContentHandler handler = new BodyContentHandler(limits.maxChars());
    ParseContext context = new ParseContext();
    TesseractOCRConfig noOcr = new TesseractOCRConfig();
    noOcr.setSkipOcr(true);
    context.set(TesseractOCRConfig.class, noOcr);
    try (InputStream in = TikaInputStream.get(content)) {
      parser.parse(in, handler, metadata, context);
    }
    String type = Optional.ofNullable(metadata.get(Metadata.CONTENT_TYPE)).orElse("application/octet-stream");
    Optional<String> title = Optional.ofNullable(metadata.get(TikaCoreProperties.TITLE)).map(String::strip).filter(t -> !t.isEmpty());
    return new ParsedDocument(handler.toString(), title, type);
  }

  private static ParseFailure classify(Throwable cause) {
    if (cause instanceof EncryptedDocumentException) {
      return new ParseFailure("encrypted", "the document is encrypted or password protected", cause);
    }
    if (WriteLimitReachedException.isWriteLimitReached(cause)) {
      return new ParseFailure("too-large", "the document holds more text than the limit allows", cause);
    }
    if (cause instanceof OutOfMemoryError) {
      return new ParseFailure("too-large", "parsing ran out of memory", cause);
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ParseFailure("corrupt", "the document cannot be parsed: " + message, cause);
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "sluice-tika-parser");
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
