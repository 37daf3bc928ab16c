package dev.sluice.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes in Avro single-object encoding: every value starts with the 64-bit fingerprint of its writer
 * schema, so a reader resolves records written by any schema version kept in {@link SchemaHistory}
 * without a registry. Thread-safe.
 */
public final class AvroSerdes {
  private AvroSerdes() {}

  /** A serde for one generated record class; it reads every historical version of its schema. */
  public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
    Codec<T> codec = codec(type);
    Serializer<T> serializer = (topic, value) -> value == null ? null : codec.encode(value);
    Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** The encoder/decoder pair behind {@link #of}, for code that decodes raw bytes itself. */
  public static <T extends SpecificRecord> Codec<T> codec(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    for (Schema previous : SchemaHistory.previousVersions(schema.getFullName())) {
      decoder.addSchema(previous);
    }
    return new Codec<>(schema, encoder, decoder);
  }

  /** Encodes and decodes one record type. */
  public record Codec<T>(
      Schema schema, BinaryMessageEncoder<T> encoder, BinaryMessageDecoder<T> decoder) {

    public byte[] encode(T value) {
      try {
        ByteBuffer buffer = encoder.encode(value);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot encode " + schema.getName() + ": " + e.getMessage(), e);
      }
    }

    /**
     * @throws SerializationException when the bytes are not a single-object encoded record of a
     *     known version of this schema
     */
    public T decode(byte[] bytes) {
      try {
        return decoder.decode(bytes);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException(
            "not a " + schema.getName() + " record in Avro single-object encoding: " + e.getMessage(), e);
      }
    }
  }
}
