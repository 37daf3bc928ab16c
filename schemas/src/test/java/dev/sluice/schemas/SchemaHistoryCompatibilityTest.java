package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.VectorTopicRecord;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build step that fails when a topic's schema changes incompatibly with a released version: each
 * current schema must read data written with every version kept in avro-history.
 */
class SchemaHistoryCompatibilityTest {

  static Stream<Schema> topicSchemas() {
    return Stream.of(DocumentEvent.getClassSchema(), ChunkTopicRecord.getClassSchema(),
        VectorTopicRecord.getClassSchema(), DeadLetter.getClassSchema());
  }

  @ParameterizedTest
  @MethodSource("topicSchemas")
  void everyTopicSchemaHasAReleasedHistory(Schema current) {
    assertThat(SchemaHistory.previousVersions(current.getFullName()))
        .as("released versions of %s (add avro-history/%s/v1.avsc)", current.getFullName(), current.getFullName())
        .isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("topicSchemas")
  void currentSchemaReadsEveryReleasedVersion(Schema current) {
    assertThat(SchemaCompatibilityGate.checkAgainstHistory(current)).isEmpty();
  }
}
