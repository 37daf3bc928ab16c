package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {
  private final Serde<DocumentEvent> serde = AvroSerdes.of(DocumentEvent.class);

  static DocumentEvent event() {
    return DocumentEvent.newBuilder()
        .setTenant("acme").setDocId("handbook/intro.md").setOp(Operation.UPSERT).setVersion(42)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setSource("file:///docs/intro.md")
        .setContent(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)))
        .setMetadata(Map.of("language", "en")).setAclGroups(List.of("staff")).build();
  }

  @Test
  void roundTripsInSingleObjectEncoding() {
    byte[] bytes = serde.serializer().serialize("documents", event());
    // Avro single-object encoding: marker C3 01, then the 8-byte schema fingerprint.
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.deserializer().deserialize("documents", bytes)).isEqualTo(event());
  }

  @Test
  void rejectsBytesThatAreNotARecord() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("documents", "{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("DocumentEvent");
  }

  @Test
  void catalogueNamesTopicsWithItsPrefix() {
    TopicCatalogue topics = TopicCatalogue.withPrefix("prod.");
    assertThat(topics.allNames()).containsExactly("prod.documents", "prod.documents.backfill", "prod.chunks", "prod.vectors", "prod.dlq", "prod.progress");
    assertThatThrownBy(() -> TopicCatalogue.withPrefix("bad prefix")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void documentKeyKeepsSlashesInDocIds() {
    DocumentKey key = DocumentKey.parse("acme/handbook/intro.md");
    assertThat(key.tenant()).isEqualTo("acme");
    assertThat(key.docId()).isEqualTo("handbook/intro.md");
    assertThatThrownBy(() -> DocumentKey.parse("no-slash")).isInstanceOf(IllegalArgumentException.class);
  }
}
