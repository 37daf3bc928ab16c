package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.DocumentEvent;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Proves the gate catches what it must: these are the changes that would break a replay. */
class SchemaCompatibilityGateTest {
  private static final Schema V1 = SchemaHistory.previousVersions(DocumentEvent.getClassSchema().getFullName()).get(0);

  private static Schema edit(String from, String to) {
    String json = V1.toString();
    assertThat(json).contains(from);
    return new Schema.Parser().parse(json.replace(from, to));
  }

  @Test
  void aNewFieldWithoutDefaultIsIncompatible() {
    Schema changed = edit("{\"name\":\"traceId\"", "{\"name\":\"priority\",\"type\":\"int\"},{\"name\":\"traceId\"");
    List<SchemaCompatibilityGate.Violation> violations = SchemaCompatibilityGate.check(changed, List.of(V1));
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).toString()).contains("DocumentEvent").contains("v1").contains("priority");
  }

  @Test
  void aChangedFieldTypeIsIncompatible() {
    Schema changed = edit("{\"name\":\"version\",\"type\":\"long\"", "{\"name\":\"version\",\"type\":\"string\"");
    assertThat(SchemaCompatibilityGate.check(changed, List.of(V1))).isNotEmpty();
  }

  @Test
  void aRemovedEnumSymbolIsIncompatible() {
    Schema changed = edit("[\"UPSERT\",\"DELETE\"]", "[\"UPSERT\"]");
    assertThat(SchemaCompatibilityGate.check(changed, List.of(V1))).isNotEmpty();
  }

  @Test
  void aNewFieldWithDefaultIsCompatible() {
    Schema changed = edit("{\"name\":\"traceId\"", "{\"name\":\"priority\",\"type\":\"int\",\"default\":0},{\"name\":\"traceId\"");
    assertThat(SchemaCompatibilityGate.check(changed, List.of(V1))).isEmpty();
  }
}
