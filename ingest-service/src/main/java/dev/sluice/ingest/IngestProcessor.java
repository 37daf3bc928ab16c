package dev.sluice.ingest;

import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.DocumentProgress;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import dev.sluice.schemas.AvroSerdes;
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
 * Turns one document event into the chunks of that version followed by its manifest, into a manifest
 * alone (content unchanged since the last accepted version), into nothing (a stale version), or into
 * one dead letter. Events are read as raw bytes so that a malformed record is a dead letter with a
 * reason, not a stalled partition.
 */
final class IngestProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);
  static final String STAGE = "ingest";
  /** The stage an accepted version moves on to. */
  static final String EMBED_STAGE = "embed";

  private final IngestConfig config;
  private final DocumentIngestor ingestor;
  private final IngestMetrics metrics;
  private final DocumentEventValidator validator;
  private final AvroSerdes.Codec<DocumentEvent> codec = AvroSerdes.codec(DocumentEvent.class);
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> versions;
  private KeyValueStore<String, AcceptedContent> contents;
  private ContentResolver resolver;

  IngestProcessor(IngestConfig config, DocumentIngestor ingestor, IngestMetrics metrics) {
    this.config = config;
    this.ingestor = ingestor;
    this.metrics = metrics;
    this.validator = new DocumentEventValidator(config.limits().inlineMaxBytes(), config.eventLimits());
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.versions = context.getStateStore(IngestTopology.VERSION_STORE);
    this.contents = context.getStateStore(IngestTopology.CONTENT_STORE);
    this.resolver = new ContentResolver(config.references(), config.limits().maxBytes());
    ingestor.retain();
  }

  @Override
  public void process(Record<String, byte[]> record) {
    DocumentEvent event;
    try {
      event = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Failure.of(IngestReasons.MALFORMED_RECORD, e.getMessage(), e), Optional.empty(), Optional.empty());
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
    Optional<Failure> invalid = validator.check(record.key(), event);
    if (invalid.isPresent()) {
      deadLetter(record, invalid.get(), Optional.of(event), Optional.empty());
      return;
    }
    Long lastVersion = versions.get(record.key());
    if (lastVersion != null && event.getVersion() <= lastVersion) {
      log.debug("dropping version {} of {}: version {} already accepted", event.getVersion(), record.key(), lastVersion);
      metrics.stale();
      return;
    }
    if (event.getOp() == Operation.DELETE) {
      forwardManifest(record, event, ChunkRecords.info(event, Optional.empty(), Optional.empty()), List.of(), null);
      versions.put(record.key(), event.getVersion());
      // The index retires the chunks: a later UPSERT must emit them again, whatever its content.
      contents.delete(record.key());
      metrics.deleted();
      return;
    }
    upsert(record, event);
  }

  private void upsert(Record<String, byte[]> record, DocumentEvent event) {
    byte[] content;
    try {
      content = resolver.read(event);
    } catch (ContentResolver.ContentRefusedException e) {
      deadLetter(record, Failure.of(e.reason(), e.getMessage(), e), Optional.of(event), Optional.empty());
      return;
    } catch (IOException e) {
      deadLetter(record, Failure.of(IngestReasons.CONTENT_UNREADABLE, "cannot read the content: " + e.getMessage(), e),
          Optional.of(event), Optional.empty());
      return;
    }
    String rawHash = ChunkIdentity.contentHash(content);
    String policy = ingestor.fingerprint(event.getTenant());
    Optional<AcceptedContent> previous = Optional.ofNullable(contents.get(record.key()))
        .filter(p -> p.policyFingerprint().equals(policy));
    if (previous.isPresent() && previous.get().rawHash().equals(rawHash)) {
      unchanged(record, event, previous.get());
      return;
    }
    DocumentIngestor.Outcome outcome = ingestor.ingest(event.getTenant(), content, fileName(event), Optional.ofNullable(event.getContentType()));
    metrics.parsed(outcome.parseTime());
    switch (outcome) {
      case DocumentIngestor.Rejected rejected -> deadLetter(record, Failure.of(rejected.reason(), rejected.message()),
          Optional.of(event), rejected.exceptionClass());
      case DocumentIngestor.Ingested document -> {
        if (previous.isPresent() && previous.get().documentHash().equals(document.documentHash())) {
          unchanged(record, event, previous.get().withRawHash(rawHash));
        } else {
          List<String> chunkIds = emit(record, event, document);
          contents.put(record.key(), new AcceptedContent(rawHash, document.documentHash(), document.policyFingerprint(),
              document.title(), document.contentType(), chunkIds));
          versions.put(record.key(), event.getVersion());
          metrics.accepted(document);
        }
      }
    }
  }

  /** Same content as the last accepted version: its chunk ids again, so only version and metadata move. */
  private void unchanged(Record<String, byte[]> record, DocumentEvent event, AcceptedContent accepted) {
    log.debug("{} version {} has the content of the last accepted version: manifest only", record.key(), event.getVersion());
    DocumentInfo info = ChunkRecords.info(event, accepted.title(), Optional.of(accepted.contentType()));
    forwardManifest(record, event, info, accepted.chunkIds(), accepted.documentHash());
    contents.put(record.key(), accepted);
    versions.put(record.key(), event.getVersion());
    metrics.unchanged();
  }

  private List<String> emit(Record<String, byte[]> record, DocumentEvent event, DocumentIngestor.Ingested document) {
    DocumentInfo info = ChunkRecords.info(event, document.title(), Optional.of(document.contentType()));
    Map<String, Integer> occurrences = new HashMap<>();
    List<String> chunkIds = new ArrayList<>(document.chunks().size());
    for (int ordinal = 0; ordinal < document.chunks().size(); ordinal++) {
      TextChunker.ChunkText piece = document.chunks().get(ordinal);
      String hash = ChunkIdentity.contentHash(piece.text());
      int occurrence = occurrences.merge(hash, 1, Integer::sum) - 1;
      String chunkId = ChunkIdentity.chunkId(event.getTenant(), event.getDocId(), hash, occurrence);
      chunkIds.add(chunkId);
      Chunk chunk = ChunkRecords.chunk(event, info, piece, ordinal, chunkId, hash);
      context.forward(record.withValue((SpecificRecord) new ChunkTopicRecord(chunk)), IngestTopology.CHUNKS_SINK);
    }
    forwardManifest(record, event, info, chunkIds, document.documentHash());
    return chunkIds;
  }

  private void forwardManifest(Record<String, byte[]> record, DocumentEvent event, DocumentInfo info, List<String> chunkIds, String documentHash) {
    DocumentManifest manifest = ChunkRecords.manifest(event, info, chunkIds, documentHash);
    context.forward(record.withValue((SpecificRecord) new ChunkTopicRecord(manifest)), IngestTopology.CHUNKS_SINK);
    // Accepted: from now on the document's status reads "pending" (in embed) until it is indexed.
    DocumentProgress progress = new DocumentProgress(event.getTenant(), event.getDocId(), event.getVersion(), EMBED_STAGE,
        event.getEventTime(), Instant.now());
    context.forward(record.withValue((SpecificRecord) progress), IngestTopology.PROGRESS_SINK);
  }

  /** The name Tika uses as a type hint: the last path segment of the reference, else of the doc id. */
  private static String fileName(DocumentEvent event) {
    String name = Optional.ofNullable(event.getContentRef()).orElse(event.getDocId());
    int query = name.indexOf('?');
    if (event.getContentRef() != null && query >= 0) {
      name = name.substring(0, query);
    }
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private void deadLetter(Record<String, byte[]> record, Failure failure, Optional<DocumentEvent> event, Optional<String> exceptionClass) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    DeadLetter letter = DeadLetters.of(STAGE, failure, Origin.of(context.recordMetadata()), record.key(), record.value(), Instant.now());
    event.ifPresent(e -> letter.setDocVersion(e.getVersion()));
    // The parser's exception may have been thrown in a parse worker JVM: only its class name came back.
    exceptionClass.ifPresent(letter::setExceptionClass);
    metrics.failed(failure.reason());
    context.forward(record.withValue((SpecificRecord) letter), IngestTopology.DLQ_SINK);
  }

  @Override
  public void close() {
    if (resolver != null) {
      resolver.close();
      ingestor.release();
    }
  }
}
