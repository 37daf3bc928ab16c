package dev.sluice.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Content hashes and point ids. A chunk's id is a name-based UUID of (tenant, docId, content hash,
 * occurrence of that hash in the document): an unchanged paragraph keeps its id across versions and
 * a replay writes the same ids.
 */
final class ChunkIdentity {
  private ChunkIdentity() {}

  /** SHA-256 of the normalised text, hex. */
  static String contentHash(String normalisedText) {
    return contentHash(normalisedText.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of raw bytes, hex. */
  static String contentHash(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * SHA-256 of a document's cleaned blocks with their heading paths: equal for two versions that
   * differ only in what cleaning removes (whitespace, page furniture) or in their bytes' encoding.
   */
  static String documentHash(List<TextBlock> cleanedBlocks) {
    MessageDigest digest = sha256();
    for (TextBlock block : cleanedBlocks) {
      digest.update(block.section().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0x1f);
      digest.update(block.text().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The point id; {@code occurrence} counts earlier chunks of the document with the same hash. */
  static String chunkId(String tenant, String docId, String contentHash, int occurrence) {
    String name = tenant + '\u0000' + docId + '\u0000' + contentHash + '\u0000' + occurrence;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
