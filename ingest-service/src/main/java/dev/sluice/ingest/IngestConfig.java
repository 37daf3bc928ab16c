package dev.sluice.ingest;

import dev.sluice.runtime.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated configuration of the ingest service.
 *
 * @param streams Kafka settings
 * @param references where content by reference may come from
 * @param limits parsing limits
 * @param isolation how parses are isolated from the stream threads
 * @param chunking chunk budget and overlap, per tenant
 * @param modelName catalogue name of the embedding model whose tokenizer measures chunks
 * @param eventLimits sizes of a document event's fields (metadata, title, ACL groups, ...)
 * @param pii which tenants' text is redacted of personal data, and of what
 */
public record IngestConfig(
    StreamsSettings streams,
    ReferencePolicy references,
    ParseLimits limits,
    ParserIsolation isolation,
    ChunkingPolicies chunking,
    String modelName,
    EventLimits eventLimits,
    PiiSettings pii) {

  public static final String APPLICATION_ID = "sluice-ingest";
  public static final String ALLOWED_ROOTS = "ingest.allowed.roots";
  public static final String HTTP_ALLOWED_HOSTS = "ingest.http.allowed.hosts";
  public static final String HTTP_TIMEOUT = "ingest.http.timeout.ms";
  public static final String MAX_BYTES = "ingest.max.bytes";
  public static final String INLINE_MAX_BYTES = "ingest.inline.max.bytes";
  public static final String MAX_CHARS = "ingest.max.chars";
  public static final String PARSE_TIMEOUT = "ingest.parse.timeout.ms";
  public static final String EMBEDDED_MAX_DEPTH = "ingest.embedded.max.depth";
  public static final String EMBEDDED_MAX_COUNT = "ingest.embedded.max.count";
  public static final String PARSE_ISOLATION = "ingest.parse.isolation";
  public static final String PARSE_WORKERS = "ingest.parse.workers";
  public static final String PARSE_WORKER_HEAP = "ingest.parse.worker.heap.mb";
  public static final String CHUNK_MAX_TOKENS = "chunk.max.tokens";
  public static final String CHUNK_OVERLAP = "chunk.overlap.percent";
  /** Prefix of per-tenant overrides: {@code chunk.max.tokens.tenant.<tenant>}. */
  public static final String CHUNK_MAX_TOKENS_TENANT = CHUNK_MAX_TOKENS + ".tenant.";
  /** Prefix of per-tenant overrides: {@code chunk.overlap.percent.tenant.<tenant>}. */
  public static final String CHUNK_OVERLAP_TENANT = CHUNK_OVERLAP + ".tenant.";
  public static final String MODEL = "embedding.model";
  public static final String LIMIT_METADATA_ENTRIES = "ingest.limit.metadata.entries";
  public static final String LIMIT_METADATA_KEY_CHARS = "ingest.limit.metadata.key.chars";
  public static final String LIMIT_METADATA_VALUE_CHARS = "ingest.limit.metadata.value.chars";
  public static final String LIMIT_METADATA_TOTAL_BYTES = "ingest.limit.metadata.total.bytes";
  public static final String LIMIT_TITLE_CHARS = "ingest.limit.title.chars";
  public static final String LIMIT_ACL_GROUPS = "ingest.limit.acl.groups";
  public static final String LIMIT_ACL_GROUP_CHARS = "ingest.limit.acl.group.chars";
  public static final String LIMIT_SOURCE_CHARS = "ingest.limit.source.chars";
  public static final String LIMIT_TRACE_ID_CHARS = "ingest.limit.trace.id.chars";
  public static final String LIMIT_CONTENT_TYPE_CHARS = "ingest.limit.content.type.chars";
  /** Tenants whose document text is redacted of personal data: tenant ids, or {@code *} for all. */
  public static final String PII_REDACT_TENANTS = "ingest.pii.redact.tenants";
  /** What redaction removes: {@code email}, {@code phone}, {@code card}, {@code iban}. */
  public static final String PII_KINDS = "ingest.pii.kinds";
  private static final List<String> LIMIT_KEYS = List.of(LIMIT_METADATA_ENTRIES, LIMIT_METADATA_KEY_CHARS,
      LIMIT_METADATA_VALUE_CHARS, LIMIT_METADATA_TOTAL_BYTES, LIMIT_TITLE_CHARS, LIMIT_ACL_GROUPS, LIMIT_ACL_GROUP_CHARS,
      LIMIT_SOURCE_CHARS, LIMIT_TRACE_ID_CHARS, LIMIT_CONTENT_TYPE_CHARS);

  private static final Range MAX_TOKENS_RANGE = Range.between(16, 8192);
  private static final Range OVERLAP_RANGE = Range.between(0, 50);

  public static final ConfigDef DEFINITION =
      StreamsSettings.define(new ConfigDef())
          .define(ALLOWED_ROOTS, Type.LIST, List.of(), Importance.HIGH,
              "Directories under which file: content references may be read (comma-separated); none by default.")
          .define(HTTP_ALLOWED_HOSTS, Type.LIST, List.of(), Importance.HIGH,
              "Hosts http(s): content references may name (comma-separated, '*.example.com' for subdomains); empty disables http(s).")
          .define(HTTP_TIMEOUT, Type.LONG, 10_000L, Range.between(100, 600_000), Importance.MEDIUM,
              "Longest time to fetch one document over http(s).")
          .define(MAX_BYTES, Type.LONG, ParseLimits.DEFAULT.maxBytes(), Range.between(1, Integer.MAX_VALUE - 8), Importance.MEDIUM,
              "Largest document, in bytes, that is read and parsed; larger ones go to the dead-letter topic as too-large.")
          .define(INLINE_MAX_BYTES, Type.LONG, ParseLimits.DEFAULT.inlineMaxBytes(), Range.between(1, 64L * 1024 * 1024), Importance.MEDIUM,
              "Largest inline content, in bytes; larger documents must be published by reference.")
          .define(MAX_CHARS, Type.INT, ParseLimits.DEFAULT.maxChars(), Range.between(1, Integer.MAX_VALUE), Importance.MEDIUM,
              "Most characters extracted from one document; a document with more goes to the dead-letter topic as too-large.")
          .define(PARSE_TIMEOUT, Type.LONG, ParseLimits.DEFAULT.timeout().toMillis(), Range.between(100, 3_600_000), Importance.MEDIUM,
              "Longest time one document may take to parse.")
          .define(EMBEDDED_MAX_DEPTH, Type.INT, ParseLimits.DEFAULT.maxEmbeddedDepth(), Range.between(0, 100), Importance.LOW,
              "Deepest nesting of embedded documents (attachments, archive entries) that is parsed; 0 parses none.")
          .define(EMBEDDED_MAX_COUNT, Type.INT, ParseLimits.DEFAULT.maxEmbeddedCount(), Range.between(0, 1_000_000), Importance.LOW,
              "Most embedded documents parsed per document.")
          .define(PARSE_ISOLATION, Type.STRING, "process", ConfigDef.ValidString.in("process", "thread"), Importance.LOW,
              "Where parses run: 'process' (child JVMs, survives hangs and out-of-memory) or 'thread' (in the service JVM).")
          .define(PARSE_WORKERS, Type.INT, 0, Range.between(0, 64), Importance.LOW,
              "Parsers run at once; 0 means one per stream thread.")
          .define(PARSE_WORKER_HEAP, Type.INT, ParserIsolation.DEFAULT.workerHeapMb(), Range.between(32, 65_536), Importance.LOW,
              "Heap of each parse worker JVM, in MiB (process isolation).")
          .define(CHUNK_MAX_TOKENS, Type.INT, ChunkingPolicy.DEFAULT.maxTokens(), MAX_TOKENS_RANGE, Importance.MEDIUM,
              "Largest chunk in model tokens (special tokens included); at most the model window. Per tenant: "
                  + CHUNK_MAX_TOKENS_TENANT + "<tenant>.")
          .define(CHUNK_OVERLAP, Type.INT, ChunkingPolicy.DEFAULT.overlapPercent(), OVERLAP_RANGE, Importance.LOW,
              "Percent of the budget repeated between pieces of a paragraph that had to be split. Per tenant: "
                  + CHUNK_OVERLAP_TENANT + "<tenant>.")
          .define(MODEL, Type.STRING, "all-minilm-l6-v2", Importance.MEDIUM,
              "Embedding model whose tokenizer measures chunks.")
          // Every field below is copied into every point of the document: EventLimits documents the
          // arithmetic, and from() refuses limits that could make a point larger than the index accepts.
          .define(LIMIT_METADATA_ENTRIES, Type.INT, EventLimits.DEFAULT.metadataEntries(), Range.between(1, 10_000), Importance.LOW,
              "Most metadata entries of a document event; more goes to the dead-letter topic as metadata-too-many-entries.")
          .define(LIMIT_METADATA_KEY_CHARS, Type.INT, EventLimits.DEFAULT.metadataKeyChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest metadata key, in characters; longer goes to the dead-letter topic as metadata-key-too-long.")
          .define(LIMIT_METADATA_VALUE_CHARS, Type.INT, EventLimits.DEFAULT.metadataValueChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest metadata value, in characters; longer goes to the dead-letter topic as metadata-value-too-long.")
          .define(LIMIT_METADATA_TOTAL_BYTES, Type.INT, EventLimits.DEFAULT.metadataTotalBytes(), Range.between(1, EventLimits.PAYLOAD_LIMIT_BYTES),
              Importance.LOW, "Most UTF-8 bytes of all metadata keys and values together; more goes to the dead-letter topic as "
                  + "metadata-too-large.")
          .define(LIMIT_TITLE_CHARS, Type.INT, EventLimits.DEFAULT.titleChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest title, in characters; a longer event title goes to the dead-letter topic as title-too-long, a longer "
                  + "title found in the document is cut.")
          .define(LIMIT_ACL_GROUPS, Type.INT, EventLimits.DEFAULT.aclGroups(), Range.between(1, 10_000), Importance.LOW,
              "Most ACL groups of a document event; more goes to the dead-letter topic as too-many-acl-groups.")
          .define(LIMIT_ACL_GROUP_CHARS, Type.INT, EventLimits.DEFAULT.aclGroupChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest ACL group, in characters; longer goes to the dead-letter topic as acl-group-too-long.")
          .define(LIMIT_SOURCE_CHARS, Type.INT, EventLimits.DEFAULT.sourceChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest source, in characters; longer goes to the dead-letter topic as source-too-long.")
          .define(LIMIT_TRACE_ID_CHARS, Type.INT, EventLimits.DEFAULT.traceIdChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest traceId, in characters; longer goes to the dead-letter topic as trace-id-too-long.")
          .define(LIMIT_CONTENT_TYPE_CHARS, Type.INT, EventLimits.DEFAULT.contentTypeChars(), Range.between(1, 65_536), Importance.LOW,
              "Longest declared contentType, in characters; longer goes to the dead-letter topic as content-type-too-long.")
          .define(PII_REDACT_TENANTS, Type.LIST, List.of(), PiiSettings.TENANTS, Importance.MEDIUM,
              "Tenants whose document text has personal data replaced by placeholders before chunking (comma-separated "
                  + "tenant ids, or '*' for every tenant); none by default.")
          .define(PII_KINDS, Type.LIST, PiiSettings.ALL_KINDS, PiiSettings.KINDS, Importance.MEDIUM,
              "What redaction replaces: any of email, phone, card (Luhn-checked), iban (mod-97-checked).");

  /** Parses and validates raw settings; throws {@code ConfigException} naming the bad key. */
  public static IngestConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    StreamsSettings streams = StreamsSettings.from(c, APPLICATION_ID);
    ReferencePolicy references = new ReferencePolicy(
        c.getList(ALLOWED_ROOTS).stream().filter(s -> !s.isBlank()).map(s -> Path.of(s.strip())).toList(),
        c.getList(HTTP_ALLOWED_HOSTS),
        Duration.ofMillis(c.getLong(HTTP_TIMEOUT)));
    ParseLimits limits = new ParseLimits(c.getLong(MAX_BYTES), c.getLong(INLINE_MAX_BYTES), c.getInt(MAX_CHARS),
        Duration.ofMillis(c.getLong(PARSE_TIMEOUT)), c.getInt(EMBEDDED_MAX_DEPTH), c.getInt(EMBEDDED_MAX_COUNT));
    int workers = c.getInt(PARSE_WORKERS) == 0 ? streams.streamThreads() : c.getInt(PARSE_WORKERS);
    ParserIsolation isolation = new ParserIsolation(
        ParserIsolation.Mode.valueOf(c.getString(PARSE_ISOLATION).toUpperCase(Locale.ROOT)), workers, c.getInt(PARSE_WORKER_HEAP));
    ChunkingPolicy defaults = new ChunkingPolicy(c.getInt(CHUNK_MAX_TOKENS), c.getInt(CHUNK_OVERLAP));
    return new IngestConfig(streams, references, limits, isolation, tenantPolicies(settings, defaults), c.getString(MODEL),
        eventLimits(c), PiiSettings.parse(c.getList(PII_REDACT_TENANTS), c.getList(PII_KINDS)));
  }

  private static EventLimits eventLimits(AbstractConfig c) {
    EventLimits limits = new EventLimits(c.getInt(LIMIT_METADATA_ENTRIES), c.getInt(LIMIT_METADATA_KEY_CHARS),
        c.getInt(LIMIT_METADATA_VALUE_CHARS), c.getInt(LIMIT_METADATA_TOTAL_BYTES), c.getInt(LIMIT_TITLE_CHARS),
        c.getInt(LIMIT_ACL_GROUPS), c.getInt(LIMIT_ACL_GROUP_CHARS), c.getInt(LIMIT_SOURCE_CHARS),
        c.getInt(LIMIT_TRACE_ID_CHARS), c.getInt(LIMIT_CONTENT_TYPE_CHARS));
    long worstCase = limits.worstCasePayloadBytes();
    if (worstCase > EventLimits.PAYLOAD_LIMIT_BYTES) {
      throw new ConfigException("ingest.limit.*: these limits let one point's payload reach " + worstCase
          + " bytes (with a chunk of " + EventLimits.CHUNK_TEXT_CHARS + " characters), over the index's limit of " + EventLimits.PAYLOAD_LIMIT_BYTES
          + "; lower some of " + String.join(", ", LIMIT_KEYS));
    }
    return limits;
  }

  // ConfigDef knows fixed keys only; per-tenant keys are validated here with the same rules.
  private static ChunkingPolicies tenantPolicies(Map<String, String> settings, ChunkingPolicy defaults) {
    Map<String, Integer> maxTokens = new HashMap<>();
    Map<String, Integer> overlap = new HashMap<>();
    settings.forEach((key, value) -> {
      if (key.startsWith(CHUNK_MAX_TOKENS_TENANT)) {
        maxTokens.put(tenantOf(key, CHUNK_MAX_TOKENS_TENANT), intIn(key, value, MAX_TOKENS_RANGE));
      } else if (key.startsWith(CHUNK_OVERLAP_TENANT)) {
        overlap.put(tenantOf(key, CHUNK_OVERLAP_TENANT), intIn(key, value, OVERLAP_RANGE));
      }
    });
    Map<String, ChunkingPolicy> byTenant = new HashMap<>();
    for (String tenant : union(maxTokens, overlap)) {
      byTenant.put(tenant, new ChunkingPolicy(
          maxTokens.getOrDefault(tenant, defaults.maxTokens()), overlap.getOrDefault(tenant, defaults.overlapPercent())));
    }
    return new ChunkingPolicies(defaults, byTenant);
  }

  private static String tenantOf(String key, String prefix) {
    String tenant = key.substring(prefix.length());
    if (!DocumentEventValidator.TENANT.matcher(tenant).matches()) {
      throw new ConfigException(key, tenant, "the tenant must match " + DocumentEventValidator.TENANT.pattern());
    }
    return tenant;
  }

  private static int intIn(String key, String value, Range range) {
    Object parsed = ConfigDef.parseType(key, value, Type.INT);
    range.ensureValid(key, parsed);
    return (Integer) parsed;
  }

  private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }
}
