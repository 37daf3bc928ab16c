package dev.sluice.ingest;

import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import dev.sluice.schemas.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns one document event into the chunks of that version followed by its manifest, or into one
 * dead letter. Events are read as raw bytes so that a malformed record is a dead letter with a reason,
 * not a stalled partition.
 */
final class IngestProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);
  static final String STAGE = "ingest";

  private final IngestConfig config;
  private final TextChunker chunker;
  private final IngestMetrics metrics;
  private final AvroSerdes.Codec<DocumentEvent> codec = AvroSerdes.codec(DocumentEvent.class);
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> versions;
  private ContentResolver resolver;
  private TikaDocumentParser parser;

  IngestProcessor(IngestConfig config, TextChunker chunker, MeterRegistry registry) {
    this.config = config;
    this.chunker = chunker;
    this.metrics = new IngestMetrics(registry);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.versions = context.getStateStore(IngestTopology.VERSION_STORE);
    this.resolver = new ContentResolver(config.allowedRoots(), config.limits().maxBytes());
    this.parser = new TikaDocumentParser(config.limits());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    DocumentEvent event;
    try {
      event = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Failure.of("malformed-record", e.getMessage(), e), Optional.empty());
      return;
    }
    MDC.put("doc", record.key());
    MDC.put("trace", Optional.ofNullable(event.getTraceId()).orElse(""));
    try {
      handle(record, event);
    } finally {
      MDC.clear();
    }
  }

  private void handle(Record<String, byte[]> record, DocumentEvent event) {
    Optional<Failure> invalid = DocumentEventValidator.check(record.key(), event);
    if (invalid.isPresent()) {
      deadLetter(record, invalid.get(), Optional.of(event));
      return;
    }
    Long lastVersion = versions.get(record.key());
    if (lastVersion != null && event.getVersion() <= lastVersion) {
      log.debug("dropping version {} of {}: version {} already accepted", event.getVersion(), record.key(), lastVersion);
      metrics.stale();
      return;
    }
    if (event.getOp() == Operation.DELETE) {
      forwardManifest(record, event, info(event, Optional.empty(), Optional.empty()), List.of(), null);
      versions.put(record.key(), event.getVersion());
      metrics.deleted();
      return;
    }
    try {
      byte[] content = resolver.read(event);
      ParsedDocument parsed = parser.parse(content, fileName(event.getDocId()), Optional.ofNullable(event.getContentType()));
      List<TextChunker.ChunkText> pieces = chunker.chunk(parsed.text());
      if (pieces.isEmpty()) {
        throw new ParseFailure("empty", "the document holds no text (" + parsed.contentType() + ")", null);
      }
      emit(record, event, parsed, pieces);
      versions.put(record.key(), event.getVersion());
      metrics.accepted(pieces.size());
    } catch (ContentResolver.ContentRefusedException e) {
      deadLetter(record, Failure.of(e.reason(), e.getMessage(), e), Optional.of(event));
    } catch (IOException e) {
      deadLetter(record, Failure.of("content-unreadable", "cannot read the content: " + e.getMessage(), e), Optional.of(event));
    } catch (ParseFailure e) {
      deadLetter(record, e.getCause() == null ? Failure.of(e.reason(), e.getMessage()) : Failure.of(e.reason(), e.getMessage(), e.getCause()), Optional.of(event));
    }
  }

  private void emit(Record<String, byte[]> record, DocumentEvent event, ParsedDocument parsed, List<TextChunker.ChunkText> pieces) {
    DocumentInfo info = info(event, parsed.title(), Optional.of(parsed.contentType()));
    Map<String, Integer> occurrences = new HashMap<>();
    List<String> chunkIds = new ArrayList<>(pieces.size());
    StringBuilder documentText = new StringBuilder();
    for (int ordinal = 0; ordinal < pieces.size(); ordinal++) {
      TextChunker.ChunkText piece = pieces.get(ordinal);
      String hash = ChunkIdentity.contentHash(piece.text());
      int occurrence = occurrences.merge(hash, 1, Integer::sum) - 1;
      String chunkId = ChunkIdentity.chunkId(event.getTenant(), event.getDocId(), hash, occurrence);
      chunkIds.add(chunkId);
      documentText.append(piece.text()).append('\n');
      Chunk chunk = Chunk.newBuilder()
          .setTenant(event.getTenant())
          .setDocId(event.getDocId())
          .setDocVersion(event.getVersion())
          .setChunkId(chunkId)
          .setOrdinal(ordinal)
          .setText(piece.text())
          .setContentHash(hash)
          .setSection(piece.section())
          .setTokenCount(piece.tokens())
          .setDocument(info)
          .build();
      context.forward(record.withValue((SpecificRecord) new ChunkTopicRecord(chunk)), IngestTopology.CHUNKS_SINK);
    }
    forwardManifest(record, event, info, chunkIds, ChunkIdentity.contentHash(documentText.toString()));
  }

  private void forwardManifest(Record<String, byte[]> record, DocumentEvent event, DocumentInfo info, List<String> chunkIds, String documentHash) {
    DocumentManifest manifest = DocumentManifest.newBuilder()
        .setTenant(event.getTenant())
        .setDocId(event.getDocId())
        .setDocVersion(event.getVersion())
        .setOp(event.getOp())
        .setChunkIds(chunkIds)
        .setContentHash(documentHash)
        .setDocument(info)
        .build();
    context.forward(record.withValue((SpecificRecord) new ChunkTopicRecord(manifest)), IngestTopology.CHUNKS_SINK);
  }

  private static DocumentInfo info(DocumentEvent event, Optional<String> parsedTitle, Optional<String> detectedType) {
    return DocumentInfo.newBuilder()
        .setSource(event.getSource())
        .setTitle(Optional.ofNullable(event.getTitle()).or(() -> parsedTitle).orElse(null))
        .setContentType(detectedType.or(() -> Optional.ofNullable(event.getContentType())).orElse(null))
        .setLanguage(event.getMetadata().get("language"))
        .setMetadata(event.getMetadata())
        .setAclGroups(event.getAclGroups())
        .setEventTime(event.getEventTime())
        .setTraceId(event.getTraceId())
        .build();
  }

  private static String fileName(String docId) {
    return docId.substring(docId.lastIndexOf('/') + 1);
  }

  private void deadLetter(Record<String, byte[]> record, Failure failure, Optional<DocumentEvent> event) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    DeadLetter letter = DeadLetters.of(STAGE, failure, Origin.of(context.recordMetadata()), record.key(), record.value(), Instant.now());
    event.ifPresent(e -> letter.setDocVersion(e.getVersion()));
    metrics.failed(failure.reason());
    context.forward(record.withValue((SpecificRecord) letter), IngestTopology.DLQ_SINK);
  }

  @Override
  public void close() {
    if (parser != null) {
      parser.close();
    }
  }
}
