package dev.sluice.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the last accepted UPSERT of a document turned into: enough to answer an unchanged re-publish
 * with a manifest of the same chunk ids, without parsing (same bytes) or without emitting chunks (same
 * cleaned text). Absent after a DELETE, since the index no longer holds those chunks as live.
 *
 * @param rawHash SHA-256 of the content's bytes
 * @param documentHash hash of the cleaned text ({@link ChunkIdentity#documentHash})
 * @param policyFingerprint the chunking policy that cut the chunks
 * @param title title found in the document
 * @param contentType detected media type
 * @param chunkIds the manifest's chunk ids, in order
 */
record AcceptedContent(
    String rawHash, String documentHash, String policyFingerprint, Optional<String> title, String contentType, List<String> chunkIds) {

  // Leading byte of the stored form; bump on any change so an old changelog is read correctly.
  private static final byte FORMAT = 1;

  AcceptedContent {
    chunkIds = List.copyOf(chunkIds);
  }

  AcceptedContent withRawHash(String other) {
    return new AcceptedContent(other, documentHash, policyFingerprint, title, contentType, chunkIds);
  }

  /** The store's value serde (its changelog's format). */
  static Serde<AcceptedContent> serde() {
    Serializer<AcceptedContent> serializer = (topic, value) -> value == null ? null : value.toBytes();
    Deserializer<AcceptedContent> deserializer = (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + chunkIds.size() * 40);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(rawHash);
      out.writeUTF(documentHash);
      out.writeUTF(policyFingerprint);
      out.writeBoolean(title.isPresent());
      if (title.isPresent()) {
        out.writeUTF(title.get());
      }
      out.writeUTF(contentType);
      out.writeInt(chunkIds.size());
      for (String id : chunkIds) {
        out.writeUTF(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static AcceptedContent fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new SerializationException("unknown accepted-content format " + format);
      }
      String rawHash = in.readUTF();
      String documentHash = in.readUTF();
      String policy = in.readUTF();
      Optional<String> title = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
      String contentType = in.readUTF();
      int count = in.readInt();
      List<String> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(in.readUTF());
      }
      return new AcceptedContent(rawHash, documentHash, policy, title, contentType, ids);
    } catch (IOException e) {
      throw new SerializationException("corrupt accepted-content record", e);
    }
  }
}
