package dev.sluice.index;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The payload stored on every point (see docs/contracts.md, "Payload on every point"). Build one
 * with {@link #builder()}, or derive one from another with {@link #toBuilder()}.
 *
 * <p>A point is <em>visible</em> to search when it is neither {@code deleted} nor {@code staged}. A
 * version's new chunks are written staged (hidden) and become visible together, when the version is
 * {@linkplain VectorIndex#publish published}: a search never sees two versions of one document.
 *
 * @param staged written for a document version that is not complete yet: hidden from search
 * @param flags what index-time checks found in the chunk's text, e.g. {@value #PROMPT_INJECTION};
 *     searchable with the {@code flags} and {@code excludeFlags} filters
 */
public record PointPayload(
    String tenant,
    String docId,
    String chunkId,
    int ordinal,
    String text,
    String contentHash,
    long docVersion,
    String source,
    Optional<String> title,
    String section,
    Optional<String> contentType,
    Optional<String> language,
    Map<String, String> metadata,
    List<String> aclGroups,
    String modelId,
    Instant eventTime,
    Instant indexedAt,
    boolean deleted,
    Optional<Instant> deletedAt,
    boolean staged,
    List<String> flags) {

  /** The flag of a chunk whose text reads as instructions to a language model. */
  public static final String PROMPT_INJECTION = "prompt-injection";

  public PointPayload {
    metadata = Map.copyOf(metadata);
    aclGroups = List.copyOf(aclGroups);
    flags = List.copyOf(flags);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(deletedAt, "deletedAt");
  }

  /** A builder with no optional field set, live, not staged, no metadata, groups or flags. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this payload, to change some of it. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same payload, soft-deleted at {@code at}. */
  public PointPayload markedDeleted(Instant at) {
    return toBuilder().deleted(true).deletedAt(Optional.of(at)).build();
  }

  /** The same payload, not deleted (a staged payload stays staged). */
  public PointPayload restored() {
    return toBuilder().deleted(false).deletedAt(Optional.empty()).build();
  }

  /** The same payload, hidden until its version is published ({@code staged=true}). */
  public PointPayload asStaged() {
    return toBuilder().staged(true).build();
  }

  /** Whether search may return this point: neither deleted nor staged. */
  public boolean visible() {
    return !deleted && !staged;
  }

  /** Builds a {@link PointPayload}; the required fields are checked where the index checks payloads. */
  public static final class Builder {
    private String tenant;
    private String docId;
    private String chunkId;
    private int ordinal;
    private String text;
    private String contentHash;
    private long docVersion;
    private String source;
    private Optional<String> title = Optional.empty();
    private String section = "";
    private Optional<String> contentType = Optional.empty();
    private Optional<String> language = Optional.empty();
    private Map<String, String> metadata = Map.of();
    private List<String> aclGroups = List.of();
    private String modelId;
    private Instant eventTime;
    private Instant indexedAt;
    private boolean deleted;
    private Optional<Instant> deletedAt = Optional.empty();
    private boolean staged;
    private List<String> flags = List.of();

    private Builder() {}

    private Builder(PointPayload p) {
      tenant = p.tenant;
      docId = p.docId;
      chunkId = p.chunkId;
      ordinal = p.ordinal;
      text = p.text;
      contentHash = p.contentHash;
      docVersion = p.docVersion;
      source = p.source;
      title = p.title;
      section = p.section;
      contentType = p.contentType;
      language = p.language;
      metadata = p.metadata;
      aclGroups = p.aclGroups;
      modelId = p.modelId;
      eventTime = p.eventTime;
      indexedAt = p.indexedAt;
      deleted = p.deleted;
      deletedAt = p.deletedAt;
      staged = p.staged;
      flags = p.flags;
    }

    public Builder tenant(String value) { tenant = value; return this; }
    public Builder docId(String value) { docId = value; return this; }
    public Builder chunkId(String value) { chunkId = value; return this; }
    public Builder ordinal(int value) { ordinal = value; return this; }
    public Builder text(String value) { text = value; return this; }
    public Builder contentHash(String value) { contentHash = value; return this; }
    public Builder docVersion(long value) { docVersion = value; return this; }
    public Builder source(String value) { source = value; return this; }
    public Builder title(Optional<String> value) { title = value; return this; }
    public Builder section(String value) { section = value; return this; }
    public Builder contentType(Optional<String> value) { contentType = value; return this; }
    public Builder language(Optional<String> value) { language = value; return this; }
    public Builder metadata(Map<String, String> value) { metadata = value; return this; }
    public Builder aclGroups(List<String> value) { aclGroups = value; return this; }
    public Builder modelId(String value) { modelId = value; return this; }
    public Builder eventTime(Instant value) { eventTime = value; return this; }
    public Builder indexedAt(Instant value) { indexedAt = value; return this; }
    public Builder deleted(boolean value) { deleted = value; return this; }
    public Builder deletedAt(Optional<Instant> value) { deletedAt = value; return this; }
    public Builder staged(boolean value) { staged = value; return this; }
    public Builder flags(List<String> value) { flags = value; return this; }

    public PointPayload build() {
      return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
          contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, deleted, deletedAt, staged, flags);
    }
  }
}
