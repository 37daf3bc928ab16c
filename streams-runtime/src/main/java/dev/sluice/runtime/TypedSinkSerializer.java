package dev.sluice.runtime;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Lets a processor that emits several record types ({@code SpecificRecord}) feed a sink of one type:
 * a record of another type reaching the sink is a wiring bug and fails loudly, naming both types.
 */
public final class TypedSinkSerializer<T extends SpecificRecord> implements Serializer<SpecificRecord> {
  private final Class<T> type;
  private final Serializer<T> delegate;

  private TypedSinkSerializer(Class<T> type, Serializer<T> delegate) {
    this.type = type;
    this.delegate = delegate;
  }

  public static <T extends SpecificRecord> TypedSinkSerializer<T> of(Class<T> type, Serializer<T> delegate) {
    return new TypedSinkSerializer<>(type, delegate);
  }

  @Override
  public byte[] serialize(String topic, SpecificRecord value) {
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new IllegalStateException(
          "sink for " + topic + " takes " + type.getSimpleName() + ", got " + value.getClass().getSimpleName());
    }
    return delegate.serialize(topic, type.cast(value));
  }
}
