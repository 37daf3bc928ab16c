package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest stage's document path, without Kafka: parse (isolated, within limits), clean, chunk,
 * hash. The ingest processor runs every document through it, and {@code sluice bench ingest} measures
 * it, so the benchmark measures what the service does. Thread-safe; parses run on at most {@link
 * ParserIsolation#workers()} parsers at once.
 */
public final class DocumentIngestor implements AutoCloseable {
  private final ParseLimits limits;
  private final ChunkingPolicies policies;
  private final ParserPool parsers;
  private final Map<ChunkingPolicy, TextChunker> chunkers = new ConcurrentHashMap<>();

  private DocumentIngestor(IngestConfig config, ModelTokenizer tokenizer) {
    this.limits = config.limits();
    this.policies = config.chunking();
    this.parsers = ParserPool.of(config.limits(), config.isolation());
    // Built now so that a tenant budget wider than the model window fails at start-up.
    chunkers.put(policies.defaults(), new TextChunker(tokenizer, policies.defaults()));
    policies.byTenant().values().forEach(p -> chunkers.computeIfAbsent(p, q -> new TextChunker(tokenizer, q)));
  }

  /**
   * An ingestor for a tool; close it to stop its parsers.
   *
   * @param tokenizer the embedding model's tokenizer, which measures chunks
   * @throws IllegalArgumentException when a chunk budget exceeds the tokenizer's window
   */
  public static DocumentIngestor open(IngestConfig config, ModelTokenizer tokenizer) {
    DocumentIngestor ingestor = new DocumentIngestor(config, tokenizer);
    ingestor.retain();
    return ingestor;
  }

  /** An ingestor whose parsers live while some processor holds it ({@link #retain}). */
  static DocumentIngestor shared(IngestConfig config, ModelTokenizer tokenizer) {
    return new DocumentIngestor(config, tokenizer);
  }

  void retain() {
    parsers.retain();
  }

  void release() {
    parsers.release();
  }

  /**
   * Runs one document through the path.
   *
   * @param tenant whose chunking policy applies
   * @param fileName name hint for type detection (may be empty)
   * @param declaredType the publisher's media type, a hint only
   */
  public Outcome ingest(String tenant, byte[] content, String fileName, Optional<String> declaredType) {
    if (content.length > limits.maxBytes()) {
      return new Rejected(IngestReasons.TOO_LARGE, "document is " + content.length + " bytes, the limit is " + limits.maxBytes(),
          Optional.empty(), declaredType, Duration.ZERO);
    }
    long start = System.nanoTime();
    ParsedDocument parsed;
    try {
      parsed = parsers.parse(new ParseRequest(content, fileName, declaredType));
    } catch (ParseFailure e) {
      return new Rejected(e.reason(), e.getMessage(), e.exceptionClass(), e.contentType(), Duration.ofNanos(System.nanoTime() - start));
    }
    Duration parseTime = Duration.ofNanos(System.nanoTime() - start);
    long chunkStart = System.nanoTime();
    try {
      List<TextBlock> blocks = TextNormaliser.clean(parsed.blocks());
      if (blocks.isEmpty()) {
        boolean unsupported = !parsed.parserFound() || holdsNoText(parsed.contentType());
        return unsupported
            ? new Rejected(IngestReasons.UNSUPPORTED_TYPE, "no text can be extracted from " + parsed.contentType() + " (OCR is off)",
                Optional.empty(), Optional.of(parsed.contentType()), parseTime)
            : new Rejected(IngestReasons.EMPTY, "the document holds no text (" + parsed.contentType() + ")",
                Optional.empty(), Optional.of(parsed.contentType()), parseTime);
      }
      ChunkingPolicy policy = policies.forTenant(tenant);
      List<TextChunker.ChunkText> chunks = chunkers.get(policy).chunk(blocks);
      return new Ingested(parsed.contentType(), parsed.title(), chunks, ChunkIdentity.documentHash(blocks), policy.fingerprint(),
          parseTime, Duration.ofNanos(System.nanoTime() - chunkStart));
    } catch (RuntimeException e) {
      return new Rejected(IngestReasons.INTERNAL_ERROR, "cleaning or chunking the text failed: " + e,
          Optional.of(e.getClass().getName()), Optional.of(parsed.contentType()), parseTime);
    }
  }

  /** The chunking policy of a tenant. */
  public ChunkingPolicy policy(String tenant) {
    return policies.forTenant(tenant);
  }

  // Types Tika parses for metadata only: no text without OCR or speech recognition.
  private static boolean holdsNoText(String contentType) {
    return contentType.startsWith("image/") || contentType.startsWith("audio/") || contentType.startsWith("video/")
        || contentType.startsWith("font/") || contentType.startsWith("application/x-font")
        || contentType.startsWith("application/octet-stream");
  }

  /** Stops the parsers (child JVMs) of an ingestor from {@link #open}. */
  @Override
  public void close() {
    release();
  }

  /** What became of one document. */
  public sealed interface Outcome permits Ingested, Rejected {
    /** Time spent parsing (in the parse worker, or until the timeout). */
    Duration parseTime();
  }

  /**
   * A document cut into chunks.
   *
   * @param contentType detected media type
   * @param title title found in the document's metadata
   * @param chunks at least one, in document order
   * @param documentHash hash of the cleaned text with its heading paths
   * @param policyFingerprint identifies the chunking policy (and pipeline revision) that cut it
   * @param chunkTime time spent cleaning and chunking
   */
  public record Ingested(
      String contentType, Optional<String> title, List<TextChunker.ChunkText> chunks, String documentHash,
      String policyFingerprint, Duration parseTime, Duration chunkTime) implements Outcome {
    public Ingested {
      chunks = List.copyOf(chunks);
    }
  }

  /**
   * A document that goes to the dead-letter topic.
   *
   * @param reason a code from {@link IngestReasons}
   * @param message what is wrong with this document, for a person
   * @param exceptionClass the parser's exception, when there was one
   * @param contentType the detected (or declared) type, when known
   */
  public record Rejected(
      String reason, String message, Optional<String> exceptionClass, Optional<String> contentType, Duration parseTime)
      implements Outcome {}
}
