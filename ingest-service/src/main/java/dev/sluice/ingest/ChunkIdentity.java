package dev.sluice.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(normalisedText.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The point id; {@code occurrence} counts earlier chunks of the document with the same hash. */
  static String chunkId(String tenant, String docId, String contentHash, int occurrence) {
    String name = tenant + '\u0000' + docId + '\u0000' + contentHash + '\u0000' + occurrence;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
