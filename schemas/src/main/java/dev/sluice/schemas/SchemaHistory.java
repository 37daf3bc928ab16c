package dev.sluice.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The released versions of every top-level schema, kept in the repository under {@code
 * src/main/resources/avro-history/<FullName>/v<N>.avsc} (fully resolved, one file per version, never
 * edited once released). Decoders accept all of them; the {@link SchemaCompatibilityGate} checks the
 * current schemas against all of them.
 */
public final class SchemaHistory {
  private static final int MAX_VERSIONS = 1000;

  private SchemaHistory() {}

  /** Versions v1, v2, ... of a schema, oldest first; empty when it was never released. */
  public static List<Schema> previousVersions(String fullName) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; v <= MAX_VERSIONS; v++) {
      String path = "/avro-history/" + fullName + "/v" + v + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in == null) {
          break;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema history " + path, e);
      }
    }
    return versions;
  }
}
