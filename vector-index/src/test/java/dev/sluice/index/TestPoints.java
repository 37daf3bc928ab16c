package dev.sluice.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Hand-made points for the contract tests: 8-dimensional unit vectors, deterministic ids. */
public final class TestPoints {

  public static final int DIMENSION = 8;
  public static final String MODEL = "test-model@0123abcd";
  // Millisecond precision: the finest every adapter keeps.
  public static final Instant T0 = Instant.parse("2025-03-04T05:06:07.890Z");

  private TestPoints() {}

  /** The point id for a test name: a name-based UUID, as real ids are (and as Qdrant requires). */
  public static String id(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The unit vector along {@code axis}. */
  public static float[] axis(int axis) {
    float[] v = new float[DIMENSION];
    v[axis] = 1f;
    return v;
  }

  /** {@code components}, zero-padded to {@link #DIMENSION} and normalised. */
  public static float[] unit(float... components) {
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < components.length; i++) {
      v[i] = components[i];
      norm += components[i] * components[i];
    }
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  public static Builder point(String name) {
    return new Builder(name);
  }

  /** A point with sensible defaults: tenant "acme", document "doc-1", public, visible (live, not staged). */
  public static final class Builder {
    private final String name;
    private String tenant = "acme";
    private String docId = "doc-1";
    private int ordinal;
    private String text = "some text";
    private float[] vector = axis(0);
    private long docVersion = 1;
    private String source = "wiki:doc-1";
    private Optional<String> title = Optional.of("A title");
    private String section = "Intro > Part";
    private Optional<String> contentType = Optional.of("text/plain");
    private Optional<String> language = Optional.of("en");
    private final Map<String, String> metadata = new HashMap<>();
    private List<String> aclGroups = List.of();
    private String modelId = MODEL;
    private Instant eventTime = T0;
    private Instant indexedAt = T0.plusSeconds(60);
    private boolean deleted;
    private Optional<Instant> deletedAt = Optional.empty();
    private boolean staged;
    private List<String> flags = List.of();

    private Builder(String name) {
      this.name = name;
    }

    public Builder tenant(String value) { tenant = value; return this; }
    public Builder doc(String value) { docId = value; source = "wiki:" + value; return this; }
    public Builder ordinal(int value) { ordinal = value; return this; }
    public Builder text(String value) { text = value; return this; }
    public Builder vector(float[] value) { vector = value; return this; }
    public Builder docVersion(long value) { docVersion = value; return this; }
    public Builder source(String value) { source = value; return this; }
    public Builder noTitle() { title = Optional.empty(); return this; }
    public Builder contentType(String value) { contentType = Optional.ofNullable(value); return this; }
    public Builder language(String value) { language = Optional.ofNullable(value); return this; }
    public Builder meta(String key, String value) { metadata.put(key, value); return this; }
    public Builder acl(String... groups) { aclGroups = List.of(groups); return this; }
    public Builder model(String value) { modelId = value; return this; }
    public Builder eventTime(Instant value) { eventTime = value; return this; }
    public Builder deletedAt(Instant at) { deleted = true; deletedAt = Optional.of(at); return this; }
    public Builder indexedAt(Instant value) { indexedAt = value; return this; }
    /** Written for a version not yet published: hidden from search and count. */
    public Builder staged() { staged = true; return this; }
    public Builder flags(String... values) { flags = List.of(values); return this; }

    public IndexPoint build() {
      String id = id(name);
      PointPayload payload =
          new PointPayload(tenant, docId, id, ordinal, text, "hash-" + name, docVersion, source, title,
              section, contentType, language, metadata, aclGroups, modelId, eventTime,
              indexedAt, deleted, deletedAt, staged, flags);
      return new IndexPoint(id, vector, payload);
    }
  }
}
