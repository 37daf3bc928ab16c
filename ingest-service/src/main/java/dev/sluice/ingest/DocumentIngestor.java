package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest stage's document path, without Kafka: parse (isolated, within limits), clean, redact
 * personal data (for the tenants that opt in), chunk, flag, hash. The ingest processor runs every
 * document through it, and {@code sluice bench ingest} measures it, so the benchmark measures what
 * the service does. Thread-safe; parses run on at most {@link ParserIsolation#workers()} parsers at
 * once.
 */
public final class DocumentIngestor implements AutoCloseable {
  private final ParseLimits limits;
  private final ChunkingPolicies policies;
  private final ParserPool parsers;
  private final Map<ChunkingPolicy, TextChunker> chunkers = new ConcurrentHashMap<>();
  private final PiiSettings pii;
  private final PiiRedactor redactor;
  private final PromptInjectionDetector detector = new PromptInjectionDetector();
  private final int titleChars;

  private DocumentIngestor(IngestConfig config, ModelTokenizer tokenizer) {
    this.limits = config.limits();
    this.policies = config.chunking();
    this.parsers = ParserPool.of(config.limits(), config.isolation());
    this.pii = config.pii();
    this.redactor = new PiiRedactor(config.pii().kinds());
    this.titleChars = config.eventLimits().titleChars();
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
      Optional<String> title = parsed.title();
      Map<PiiKind, Integer> redacted = new EnumMap<>(PiiKind.class);
      // Before chunking and hashing: chunk ids, the document hash, embeddings and stored text never hold a value.
      if (pii.redacts(tenant)) {
        PiiRedactor.RedactedBlocks clean = redactor.redact(blocks);
        blocks = clean.blocks();
        clean.counts().forEach((kind, n) -> redacted.merge(kind, n, Integer::sum));
        title = title.map(redactor::redact).map(r -> {
          r.counts().forEach((kind, n) -> redacted.merge(kind, n, Integer::sum));
          return r.text();
        });
      }
      ChunkingPolicy policy = policies.forTenant(tenant);
      List<TextChunker.ChunkText> chunks = chunkers.get(policy).chunk(blocks).stream()
          .map(chunk -> chunk.withFlags(detector.flags(chunk.text()))).toList();
      return new Ingested(parsed.contentType(), title.map(t -> cut(t, titleChars)), chunks, ChunkIdentity.documentHash(blocks),
          fingerprint(tenant), parseTime, Duration.ofNanos(System.nanoTime() - chunkStart), redacted);
    } catch (RuntimeException e) {
      return new Rejected(IngestReasons.INTERNAL_ERROR, "cleaning or chunking the text failed: " + e,
          Optional.of(e.getClass().getName()), Optional.of(parsed.contentType()), parseTime);
    }
  }

  /** The chunking policy of a tenant. */
  public ChunkingPolicy policy(String tenant) {
    return policies.forTenant(tenant);
  }

  /**
   * Identifies what this ingestor does to a tenant's text (chunking policy and redaction): a stored
   * document cut under another fingerprint is cut again rather than deduplicated.
   */
  String fingerprint(String tenant) {
    return policies.forTenant(tenant).fingerprint() + pii.fingerprint(tenant);
  }

  // A title found in the document lands on every point: held to the limit of a publisher's title.
  private static String cut(String title, int maxChars) {
    if (title.length() <= maxChars) {
      return title;
    }
    int end = Character.isHighSurrogate(title.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return title.substring(0, end);
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
   * @param policyFingerprint identifies the chunking policy (and pipeline revision) and the redaction that cut it
   * @param chunkTime time spent cleaning and chunking
   * @param redacted personal data replaced in the text and title, by kind; empty when the tenant does not redact
   */
  public record Ingested(
      String contentType, Optional<String> title, List<TextChunker.ChunkText> chunks, String documentHash,
      String policyFingerprint, Duration parseTime, Duration chunkTime, Map<PiiKind, Integer> redacted) implements Outcome {
    public Ingested {
      chunks = List.copyOf(chunks);
      redacted = Map.copyOf(redacted);
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
