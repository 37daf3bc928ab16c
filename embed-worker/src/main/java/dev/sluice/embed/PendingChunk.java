package dev.sluice.embed;

import dev.sluice.runtime.DeadLetters.Origin;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A chunk record waiting in the batch buffer, exactly as it was read: key, value bytes, timestamp,
 * headers, and where it came from (a dead letter of the batch must name its own origin, which the
 * processor context no longer knows when a punctuator flushes the batch).
 */
record PendingChunk(Record<String, byte[]> record, Origin origin) {

  static PendingChunk of(Record<String, byte[]> record, Optional<RecordMetadata> metadata) {
    return new PendingChunk(record, Origin.of(metadata));
  }

  /** Length-prefixed fields; a null key or header value is length -1. */
  byte[] encode() {
    byte[] key = bytes(record.key());
    byte[] topic = bytes(origin.topic());
    Header[] headers = record.headers().toArray();
    int size = 4 + len(key) + 4 + record.value().length + 8 + 4 + len(topic) + 4 + 8 + 4;
    for (Header header : headers) {
      size += 4 + len(bytes(header.key())) + 4 + len(header.value());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    put(out, key);
    put(out, record.value());
    out.putLong(record.timestamp());
    put(out, topic);
    out.putInt(origin.partition()).putLong(origin.offset());
    out.putInt(headers.length);
    for (Header header : headers) {
      put(out, bytes(header.key()));
      put(out, header.value());
    }
    return out.array();
  }

  static PendingChunk decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    String key = string(get(in));
    byte[] value = get(in);
    long timestamp = in.getLong();
    Origin origin = new Origin(string(get(in)), in.getInt(), in.getLong());
    Headers headers = new RecordHeaders();
    for (int n = in.getInt(); n > 0; n--) {
      headers.add(string(get(in)), get(in));
    }
    return new PendingChunk(new Record<>(key, value, timestamp, headers), origin);
  }

  private static int len(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void put(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(-1);
    } else {
      out.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] get(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
