package dev.sluice.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Fails the build when a schema changes incompatibly: every current schema must be able to read data
 * written with each of its released versions (backward compatibility, which is what replaying a topic
 * from offset 0 needs). Run by {@code SchemaHistoryCompatibilityTest} in every build.
 */
public final class SchemaCompatibilityGate {
  private SchemaCompatibilityGate() {}

  /** One incompatibility between a current schema and a released version. */
  public record Violation(String schema, int version, String description) {
    @Override
    public String toString() {
      return schema + " cannot read its v" + version + ": " + description;
    }
  }

  /** Checks {@code current} against each released version (v1 first); empty when compatible. */
  public static List<Violation> check(Schema current, List<Schema> released) {
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < released.size(); i++) {
      SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current, released.get(i));
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        violations.add(
            new Violation(current.getFullName(), i + 1, result.getResult().getIncompatibilities().toString()));
      }
    }
    return violations;
  }

  /** Checks a current schema against its history as found by {@link SchemaHistory}. */
  public static List<Violation> checkAgainstHistory(Schema current) {
    return check(current, SchemaHistory.previousVersions(current.getFullName()));
  }
}
