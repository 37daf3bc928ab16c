package dev.sluice.ingest;

/**
 * Size limits on the publisher's fields of a {@code DocumentEvent}, checked by {@link
 * DocumentEventValidator}, each breach with its own reason code. Lengths are in Java {@code char}s
 * (UTF-16 code units, at most 3 bytes of UTF-8 each); the metadata total is in UTF-8 bytes, counted
 * as the index counts a payload (keys plus values).
 *
 * <p>Why these limits: every field below is copied into the payload of every point of the document,
 * and an index refuses a point whose payload strings exceed 256 KiB of UTF-8 ({@code
 * VectorIndex.MAX_PAYLOAD_BYTES}), which would fail the document in the index-worker, after parsing
 * and embedding it. {@link #worstCasePayloadBytes()} adds up the largest payload a valid event can
 * produce; {@code IngestConfig} refuses limits for which it exceeds {@link #PAYLOAD_LIMIT_BYTES}, so
 * a valid event never yields a point the index refuses. With the defaults:
 *
 * <pre>
 *   chunk text     32,768 chars (embed.chunk.max.chars; longer chunks are dead-lettered by embed) x 3 =  98,304
 *   section        6 headings x 300 chars + 5 separators x 3 = 1,815 chars x 3                   =   5,445
 *   contentHash    64 hex digits                                                                 =      64
 *   docId          256 chars x 3                                                                 =     768
 *   source         4,096 chars x 3                                                               =  12,288
 *   title          1,024 chars x 3 (a title found in the document is cut to this limit too)      =   3,072
 *   contentType    256 chars x 3                                                                 =     768
 *   language       metadata["language"], again: 4,096 chars x 3                                  =  12,288
 *   metadata       65,536 bytes of keys and values                                               =  65,536
 *   aclGroups      64 groups x 256 chars x 3                                                     =  49,152
 *                                                                                         total  = 247,685 &lt;= 262,144
 * </pre>
 *
 * The guarantee assumes {@code embed.chunk.max.chars} at its default: raising it there eats into
 * this budget.
 *
 * @param metadataEntries most metadata entries
 * @param metadataKeyChars longest metadata key
 * @param metadataValueChars longest metadata value
 * @param metadataTotalBytes most UTF-8 bytes of all metadata keys and values together
 * @param titleChars longest title
 * @param aclGroups most ACL groups
 * @param aclGroupChars longest ACL group
 * @param sourceChars longest source
 * @param traceIdChars longest traceId (not on the point; on every chunk record and log line)
 * @param contentTypeChars longest declared contentType
 */
public record EventLimits(
    int metadataEntries,
    int metadataKeyChars,
    int metadataValueChars,
    int metadataTotalBytes,
    int titleChars,
    int aclGroups,
    int aclGroupChars,
    int sourceChars,
    int traceIdChars,
    int contentTypeChars) {

  /** The index's payload limit, {@code VectorIndex.MAX_PAYLOAD_BYTES} (ingest does not depend on vector-index). */
  public static final int PAYLOAD_LIMIT_BYTES = 256 * 1024;
  /** Longest chunk text embed accepts by default ({@code embed.chunk.max.chars}). */
  static final int CHUNK_TEXT_CHARS = 32_768;
  /** Longest heading path: h1-h6, each at most {@code StructureHandler}'s 300 chars, joined by {@code " > "}. */
  static final int SECTION_CHARS = 6 * 300 + 5 * 3;
  /** SHA-256 in hex. */
  static final int CONTENT_HASH_BYTES = 64;
  /** A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4). */
  static final int MAX_UTF8_BYTES_PER_CHAR = 3;

  public static final EventLimits DEFAULT = new EventLimits(128, 128, 4096, 64 * 1024, 1024, 64, 256, 4096, 256, 256);

  public EventLimits {
    positive("metadataEntries", metadataEntries);
    positive("metadataKeyChars", metadataKeyChars);
    positive("metadataValueChars", metadataValueChars);
    positive("metadataTotalBytes", metadataTotalBytes);
    positive("titleChars", titleChars);
    positive("aclGroups", aclGroups);
    positive("aclGroupChars", aclGroupChars);
    positive("sourceChars", sourceChars);
    positive("traceIdChars", traceIdChars);
    positive("contentTypeChars", contentTypeChars);
  }

  /** The largest payload, in UTF-8 bytes, of a point made from an event within these limits. */
  public long worstCasePayloadBytes() {
    long chars = (long) CHUNK_TEXT_CHARS + SECTION_CHARS + DocumentEventValidator.MAX_DOC_ID + sourceChars + titleChars
        + contentTypeChars + metadataValueChars + (long) aclGroups * aclGroupChars;
    return chars * MAX_UTF8_BYTES_PER_CHAR + CONTENT_HASH_BYTES + metadataTotalBytes;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
