package dev.sluice.index.qdrant;

import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.Failure;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Maps a {@link DocumentStatus} to the payload of its one registry point and back. Instants are
 * epoch milliseconds, as on the points; the failure is a nested object, absent when there is none.
 */
final class StatusPayloads {

  static final String TENANT = "tenant";
  static final String DOC_ID = "docId";
  static final String STATE = "state";
  static final String VERSION = "version";
  static final String CHUNKS = "chunks";
  static final String EVENT_TIME = "eventTime";
  static final String UPDATED_AT = "updatedAt";
  static final String FAILURE = "failure";
  static final String STAGE = "stage";
  static final String REASON = "reason";
  static final String MESSAGE = "message";
  static final String PENDING_STAGE = "pendingStage";
  static final String SEARCHABLE_VERSION = "searchableVersion";

  private StatusPayloads() {}

  /**
   * The point id of a document's status: a name-based UUID of tenant, NUL, docId (tenants, which
   * cannot even hold '/', hold no NUL, so two documents never share a name).
   */
  static String pointId(String tenant, String docId) {
    return UUID.nameUUIDFromBytes((tenant + '\0' + docId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  static Map<String, Value> toValues(DocumentStatus status) {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put(TENANT, value(status.tenant()));
    values.put(DOC_ID, value(status.docId()));
    values.put(STATE, value(status.state().name()));
    values.put(VERSION, value(status.version()));
    values.put(CHUNKS, value(status.chunks()));
    values.put(EVENT_TIME, value(status.eventTime().toEpochMilli()));
    values.put(UPDATED_AT, value(status.updatedAt().toEpochMilli()));
    status.failure().ifPresent(failure -> {
      Map<String, Value> nested = new LinkedHashMap<>();
      nested.put(STAGE, string(failure.stage()));
      nested.put(REASON, string(failure.reason()));
      nested.put(MESSAGE, string(failure.message()));
      values.put(FAILURE, value(nested));
    });
    status.stage().ifPresent(stage -> values.put(PENDING_STAGE, value(stage)));
    status.searchableVersion().ifPresent(v -> values.put(SEARCHABLE_VERSION, value(v)));
    return values;
  }

  static DocumentStatus fromValues(Map<String, Value> v) {
    Optional<Failure> failure = Optional.ofNullable(v.get(FAILURE)).filter(Value::hasStructValue).map(f -> {
      Map<String, Value> nested = f.getStructValue().getFieldsMap();
      return new Failure(string(nested, STAGE), string(nested, REASON), string(nested, MESSAGE));
    });
    return new DocumentStatus(
        require(v, TENANT).getStringValue(),
        require(v, DOC_ID).getStringValue(),
        DocumentStatus.State.valueOf(require(v, STATE).getStringValue()),
        require(v, VERSION).getIntegerValue(),
        (int) require(v, CHUNKS).getIntegerValue(),
        Instant.ofEpochMilli(require(v, EVENT_TIME).getIntegerValue()),
        Instant.ofEpochMilli(require(v, UPDATED_AT).getIntegerValue()),
        failure,
        Optional.ofNullable(string(v, PENDING_STAGE)),
        searchableVersion(v));
  }

  // Statuses written before the field existed: an indexed one is searchable at its version.
  private static Optional<Long> searchableVersion(Map<String, Value> v) {
    Optional<Long> stored = Optional.ofNullable(v.get(SEARCHABLE_VERSION)).filter(Value::hasIntegerValue).map(Value::getIntegerValue);
    if (stored.isPresent()) {
      return stored;
    }
    return DocumentStatus.State.INDEXED.name().equals(require(v, STATE).getStringValue())
        ? Optional.of(require(v, VERSION).getIntegerValue()) : Optional.empty();
  }

  // A failure's parts may be null (a dead letter without a message): kept as JSON null, read back as null.
  private static Value string(String s) {
    return s == null ? nullValue() : value(s);
  }

  private static String string(Map<String, Value> v, String key) {
    Value value = v.get(key);
    return value == null || !value.hasStringValue() ? null : value.getStringValue();
  }

  private static Value require(Map<String, Value> v, String key) {
    Value value = v.get(key);
    if (value == null) {
      throw new IllegalStateException("Qdrant registry point has no payload." + key + " (written by something other than Sluice?)");
    }
    return value;
  }
}
