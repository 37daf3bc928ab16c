package dev.sluice.runtime.failure;

import java.nio.charset.StandardCharsets;

/** The bytes of a record's key or value when Kafka Streams no longer holds them as read. */
final class RawBytes {
  private RawBytes() {}

  /**
   * {@code raw} when present; otherwise {@code decoded} when it is still bytes (a processor reading
   * bytes from its source, as every Sluice processor does) or a string (a key, written as UTF-8).
   */
  static byte[] or(byte[] raw, Object decoded) {
    if (raw != null) {
      return raw;
    }
    if (decoded instanceof byte[] bytes) {
      return bytes;
    }
    if (decoded instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }
}
