package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.schemas.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordVersionsTest {
  private static final DocumentInfo INFO = DocumentInfo.newBuilder().setSource("s").setEventTime(Instant.EPOCH).build();

  @Test
  void everyPipelineRecordGivesItsDocumentVersion() {
    DocumentEvent event = DocumentEvent.newBuilder().setTenant("acme").setDocId("d").setOp(Operation.DELETE).setVersion(7)
        .setEventTime(Instant.EPOCH).setSource("s").build();
    Chunk chunk = Chunk.newBuilder().setTenant("acme").setDocId("d").setDocVersion(8).setChunkId("c").setOrdinal(0).setText("t")
        .setContentHash("h").setTokenCount(1).setDocument(INFO).build();
    DocumentManifest manifest = DocumentManifest.newBuilder().setTenant("acme").setDocId("d").setDocVersion(9)
        .setOp(Operation.UPSERT).setDocument(INFO).build();

    assertThat(RecordVersions.of(AvroSerdes.codec(DocumentEvent.class).encode(event))).contains(7L);
    assertThat(RecordVersions.of(AvroSerdes.codec(ChunkTopicRecord.class).encode(new ChunkTopicRecord(chunk)))).contains(8L);
    assertThat(RecordVersions.of(AvroSerdes.codec(ChunkTopicRecord.class).encode(new ChunkTopicRecord(manifest)))).contains(9L);
    assertThat(RecordVersions.of(AvroSerdes.codec(VectorTopicRecord.class)
        .encode(new VectorTopicRecord(new EmbeddedChunk(chunk, "m", List.of(1f)))))).contains(8L);
  }

  @Test
  void bytesOfNoPipelineRecordGiveNone() {
    assertThat(RecordVersions.of(null)).isEmpty();
    assertThat(RecordVersions.of("not avro".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(RecordVersions.of(new byte[0])).isEmpty();
  }

  @Test
  void aDeadLetterCarriesTheVersionOfItsOriginalRecord() {
    DocumentEvent event = DocumentEvent.newBuilder().setTenant("acme").setDocId("d").setOp(Operation.DELETE).setVersion(42)
        .setEventTime(Instant.EPOCH).setSource("s").build();
    DeadLetter letter = DeadLetters.of("ingest", DeadLetters.Failure.of("retries-exhausted", "m"),
        new DeadLetters.Origin("documents", 0, 1), "acme/d", AvroSerdes.codec(DocumentEvent.class).encode(event), Instant.EPOCH);

    assertThat(letter.getTenant()).isEqualTo("acme");
    assertThat(letter.getDocId()).isEqualTo("d");
    assertThat(letter.getDocVersion()).isEqualTo(42L);
  }
}
