package dev.sluice.schemas;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason code Sluice reports, in one place: the {@code reason} of a dead letter (and so of a
 * failed document's status), and the {@code error.code} of a query API error. Codes are public
 * contract: dashboards, alerts, the status API and replay tooling key on them, and they are a metric
 * tag, so they are few and stable. Add constants, never rename or remove one; each is documented in
 * {@code docs/reason-codes.md}, which a test keeps complete.
 *
 * <p>A reason names the kind of problem; the dead letter's or error's message names this record's
 * specific one.
 */
public enum ReasonCode {
  // --- the bytes of a record (every stream stage)
  MALFORMED_RECORD("malformed-record", Cause.BAD_INPUT,
      "the record's bytes are not the schema the topic carries: its producer is broken",
      Stage.INGEST, Stage.EMBED, Stage.INDEX),

  // --- ingest: validating a DocumentEvent
  INVALID_EVENT("invalid-event", Cause.BAD_INPUT,
      "the event breaks a rule (tenant, docId, key, version, content presence, inline size, media type, ...)",
      Stage.INGEST),
  METADATA_TOO_MANY_ENTRIES("metadata-too-many-entries", Cause.BAD_INPUT,
      "the event's metadata has more entries than ingest.limit.metadata.entries", Stage.INGEST),
  METADATA_KEY_TOO_LONG("metadata-key-too-long", Cause.BAD_INPUT,
      "a metadata key is longer than ingest.limit.metadata.key.chars", Stage.INGEST),
  METADATA_VALUE_TOO_LONG("metadata-value-too-long", Cause.BAD_INPUT,
      "a metadata value is longer than ingest.limit.metadata.value.chars", Stage.INGEST),
  METADATA_TOO_LARGE("metadata-too-large", Cause.BAD_INPUT,
      "the metadata's keys and values together exceed ingest.limit.metadata.total.bytes of UTF-8", Stage.INGEST),
  TITLE_TOO_LONG("title-too-long", Cause.BAD_INPUT,
      "the title is longer than ingest.limit.title.chars", Stage.INGEST),
  TOO_MANY_ACL_GROUPS("too-many-acl-groups", Cause.BAD_INPUT,
      "the event names more ACL groups than ingest.limit.acl.groups", Stage.INGEST),
  ACL_GROUP_TOO_LONG("acl-group-too-long", Cause.BAD_INPUT,
      "an ACL group is longer than ingest.limit.acl.group.chars", Stage.INGEST),
  SOURCE_TOO_LONG("source-too-long", Cause.BAD_INPUT,
      "the source is longer than ingest.limit.source.chars", Stage.INGEST),
  TRACE_ID_TOO_LONG("trace-id-too-long", Cause.BAD_INPUT,
      "the traceId is longer than ingest.limit.trace.id.chars", Stage.INGEST),
  CONTENT_TYPE_TOO_LONG("content-type-too-long", Cause.BAD_INPUT,
      "the contentType is longer than ingest.limit.content.type.chars", Stage.INGEST),

  // --- ingest: fetching and parsing the content
  BAD_REFERENCE("bad-reference", Cause.BAD_INPUT, "contentRef is not a URI", Stage.INGEST),
  REFERENCE_NOT_ALLOWED("reference-not-allowed", Cause.BAD_INPUT,
      "the reference's scheme, root or host is not allowed (path escape, symlink out, host not listed)", Stage.INGEST),
  REFERENCE_NOT_FOUND("reference-not-found", Cause.BAD_INPUT,
      "the referenced file or URL does not exist (missing file, not a regular file, HTTP 404/410)", Stage.INGEST),
  CONTENT_UNREADABLE("content-unreadable", Cause.INFRASTRUCTURE,
      "the content exists but could not be read (I/O error, HTTP error or timeout); replayable", Stage.INGEST),
  TOO_LARGE("too-large", Cause.BAD_INPUT,
      "over a content limit: bytes, extracted characters, expansion ratio (zip bomb), or parser memory", Stage.INGEST),
  ENCRYPTED("encrypted", Cause.BAD_INPUT, "password protected or encrypted; publish an unprotected copy", Stage.INGEST),
  CORRUPT("corrupt", Cause.BAD_INPUT, "the parser rejected the file as damaged or not what its type claims",
      Stage.INGEST),
  EMPTY("empty", Cause.BAD_INPUT, "parsed, but holds no text (zero bytes, blank pages, only boilerplate)",
      Stage.INGEST),
  UNSUPPORTED_TYPE("unsupported-type", Cause.BAD_INPUT,
      "no text extractor for this type (images without OCR, audio, unknown binaries, obsolete formats)", Stage.INGEST),
  PARSE_TIMEOUT("parse-timeout", Cause.BAD_INPUT,
      "parsing took longer than the per-document timeout; the parser was stopped", Stage.INGEST),
  INTERNAL_ERROR("internal-error", Cause.ENGINE,
      "a defect in Sluice itself (ingest: while cleaning or chunking; query: while answering); replay once fixed",
      Stage.INGEST, Stage.QUERY),

  // --- embed
  EMPTY_CHUNK("empty-chunk", Cause.BAD_INPUT, "the chunk has no text to embed", Stage.EMBED),
  OVERSIZE_CHUNK("oversize-chunk", Cause.BAD_INPUT, "the chunk has more characters than embed.chunk.max.chars",
      Stage.EMBED),
  EMBEDDING_FAILED("embedding-failed", Cause.ENGINE,
      "the model failed on this chunk alone (the rest of its batch was embedded)", Stage.EMBED),

  // --- index (also the reasons a VectorIndex adapter rejects a point with)
  CHUNKS_MISSING("chunks-missing", Cause.BAD_INPUT,
      "a chunk of the version never reached the index (dead-lettered upstream): the version stays hidden",
      Stage.INDEX),
  MODEL_MISMATCH("model-mismatch", Cause.BAD_INPUT,
      "the vector was made by another model than the collection's", Stage.INDEX),
  VECTOR_DIMENSION("vector-dimension", Cause.BAD_INPUT,
      "the vector's dimension is not the collection's", Stage.INDEX),
  INVALID_VECTOR("invalid-vector", Cause.BAD_INPUT, "the vector is empty or holds a NaN or infinite component",
      Stage.INDEX),
  PAYLOAD_TOO_LARGE("payload-too-large", Cause.BAD_INPUT,
      "the point's payload is over the index's limit (VectorIndex.MAX_PAYLOAD_BYTES)", Stage.INDEX),
  INVALID_PAYLOAD("invalid-payload", Cause.BAD_INPUT, "a payload field is missing or inconsistent (chunkId, deleted/deletedAt, staged, identity on update)",
      Stage.INDEX),
  INVALID_POINT_ID("invalid-point-id", Cause.BAD_INPUT, "the point id is not a UUID", Stage.INDEX),

  // --- every stream stage: the exception handlers of streams-runtime
  PROCESSING_FAILED("processing-failed", Cause.ENGINE,
      "a processor threw something that is neither an infrastructure failure nor fatal; the record was skipped",
      Stage.INGEST, Stage.EMBED, Stage.INDEX),
  DESERIALIZATION_FAILED("deserialization-failed", Cause.BAD_INPUT,
      "Kafka Streams could not deserialize the record's key or value", Stage.INGEST, Stage.EMBED, Stage.INDEX),
  SERIALIZATION_FAILED("serialization-failed", Cause.ENGINE,
      "an output record could not be serialized; the output was dropped", Stage.INGEST, Stage.EMBED, Stage.INDEX),
  PRODUCE_FAILED("produce-failed", Cause.INFRASTRUCTURE,
      "the broker refused an output record for good (e.g. too large); dead-lettered with its destination topic",
      Stage.INGEST, Stage.EMBED, Stage.INDEX),
  RETRIES_EXHAUSTED("retries-exhausted", Cause.INFRASTRUCTURE,
      "an infrastructure failure repeated streams.max.record.attempts times on this record; replay once fixed",
      Stage.INGEST, Stage.EMBED, Stage.INDEX),

  // --- query API: error.code of {"error": {"code", "message"}}
  UNAUTHORIZED("unauthorized", Cause.BAD_INPUT, "401: no bearer token, or not a valid one", Stage.QUERY),
  MALFORMED_JSON("malformed-json", Cause.BAD_INPUT, "400: the body is not a JSON object", Stage.QUERY),
  FIELD_NOT_ALLOWED("field-not-allowed", Cause.BAD_INPUT,
      "400: the body names a field that comes from the token (tenant, groups)", Stage.QUERY),
  UNKNOWN_FIELD("unknown-field", Cause.BAD_INPUT, "400: the body names an unknown field", Stage.QUERY),
  INVALID_QUERY("invalid-query", Cause.BAD_INPUT, "400: 'query' is missing, empty or too long", Stage.QUERY),
  INVALID_MODE("invalid-mode", Cause.BAD_INPUT, "400: 'mode' is not dense, keyword or hybrid", Stage.QUERY),
  INVALID_FILTERS("invalid-filters", Cause.BAD_INPUT, "400: 'filters' is not an object", Stage.QUERY),
  UNKNOWN_FILTER("unknown-filter", Cause.BAD_INPUT, "400: 'filters' names an unknown filter", Stage.QUERY),
  INVALID_FILTER("invalid-filter", Cause.BAD_INPUT, "400: a filter's value has the wrong type or range",
      Stage.QUERY),
  DOCUMENT_NOT_FOUND("document-not-found", Cause.BAD_INPUT, "404: no such document for the token's tenant",
      Stage.QUERY),
  NOT_FOUND("not-found", Cause.BAD_INPUT, "404: no such route", Stage.QUERY),
  METHOD_NOT_ALLOWED("method-not-allowed", Cause.BAD_INPUT, "405: the route does not take this method",
      Stage.QUERY),
  BODY_TOO_LARGE("body-too-large", Cause.BAD_INPUT, "413: the request body is over the service's limit",
      Stage.QUERY),
  RATE_LIMITED("rate-limited", Cause.BAD_INPUT, "429: the token sent more requests per second than allowed",
      Stage.QUERY),
  TOO_MANY_CONCURRENT_SEARCHES("too-many-concurrent-searches", Cause.BAD_INPUT,
      "429: the token has more searches in flight than allowed", Stage.QUERY),
  NOT_READY("not-ready", Cause.INFRASTRUCTURE, "503: the service is not ready (model or index not loaded yet)",
      Stage.QUERY),
  INDEX_UNAVAILABLE("index-unavailable", Cause.INFRASTRUCTURE,
      "503: the index cannot be searched at the moment; retry shortly", Stage.QUERY);

  /** Who is to blame, and so whether replaying the record unchanged can ever succeed. */
  public enum Cause {
    /** The record or request itself: replaying it unchanged fails again; fix it at its producer. */
    BAD_INPUT,
    /** A dependency (broker, file system, HTTP host, index) failed: replay once it is back. */
    INFRASTRUCTURE,
    /** A defect or limit of Sluice itself (code, model): replay once fixed. */
    ENGINE
  }

  /** Where a code is reported: a stream service's dead-letter {@code stage}, or the query API. */
  public enum Stage {
    INGEST("ingest"),
    EMBED("embed"),
    INDEX("index"),
    QUERY("query");

    private final String wireName;

    Stage(String wireName) {
      this.wireName = wireName;
    }

    /** The name as a dead letter's {@code stage} field carries it ({@code query} for API errors). */
    public String wireName() {
      return wireName;
    }
  }

  private static final Map<String, ReasonCode> BY_CODE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ReasonCode::code, Function.identity()));

  private final String code;
  private final Cause cause;
  private final String description;
  private final Set<Stage> stages;

  ReasonCode(String code, Cause cause, String description, Stage first, Stage... more) {
    this.code = code;
    this.cause = cause;
    this.description = description;
    this.stages = Set.copyOf(EnumSet.of(first, more));
  }

  /** The code as written to the wire (dead letters, document status, API errors, metric tags). */
  public String code() {
    return code;
  }

  /** Whether the record or request itself is at fault, or infrastructure or Sluice. */
  public Cause cause() {
    return cause;
  }

  /** Whether replaying unchanged is pointless: the input must be fixed at its producer. */
  public boolean badInput() {
    return cause == Cause.BAD_INPUT;
  }

  /** The stages that report this code. */
  public Set<Stage> stages() {
    return stages;
  }

  /** What the code means, in one line. */
  public String description() {
    return description;
  }

  /**
   * The constant whose wire code is {@code code}. Empty for a code this build does not know (a dead
   * letter written by a newer or older Sluice), so readers of the wire never fail on one.
   */
  public static Optional<ReasonCode> fromCode(String code) {
    return Optional.ofNullable(code).map(BY_CODE::get);
  }
}
