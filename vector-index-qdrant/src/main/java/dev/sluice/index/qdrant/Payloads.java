package dev.sluice.index.qdrant;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchFilters;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a {@link PointPayload} to a Qdrant payload and back. Instants are epoch milliseconds
 * (integers, so range filters and the purge cutoff are exact); optional fields are absent when
 * empty. Three derived keys exist for filtering only: {@code tags} (the values of the {@code tags}
 * metadata key), {@code metaPairs} ("key\u001fvalue" per metadata entry, so that any metadata key can
 * be matched without building a payload path from user input) and {@code aclPublic}. A point
 * without {@code staged} (written before staging existed) reads as not staged.
 */
final class Payloads {

  static final String TENANT = "tenant";
  static final String DOC_ID = "docId";
  static final String CHUNK_ID = "chunkId";
  static final String ORDINAL = "ordinal";
  static final String TEXT = "text";
  static final String CONTENT_HASH = "contentHash";
  static final String DOC_VERSION = "docVersion";
  static final String SOURCE = "source";
  static final String TITLE = "title";
  static final String SECTION = "section";
  static final String CONTENT_TYPE = "contentType";
  static final String LANGUAGE = "language";
  static final String METADATA = "metadata";
  static final String META_PAIRS = "metaPairs";
  static final String TAGS = "tags";
  static final String ACL_GROUPS = "aclGroups";
  static final String ACL_PUBLIC = "aclPublic";
  static final String MODEL_ID = "modelId";
  static final String EVENT_TIME = "eventTime";
  static final String INDEXED_AT = "indexedAt";
  static final String DELETED = "deleted";
  static final String DELETED_AT = "deletedAt";
  static final String STAGED = "staged";
  static final String FLAGS = "flags";

  static final char META_SEPARATOR = '\u001f';

  private Payloads() {}

  static Map<String, Value> toValues(PointPayload p) {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put(TENANT, value(p.tenant()));
    values.put(DOC_ID, value(p.docId()));
    values.put(CHUNK_ID, value(p.chunkId()));
    values.put(ORDINAL, value(p.ordinal()));
    values.put(TEXT, value(p.text()));
    values.put(CONTENT_HASH, value(p.contentHash()));
    values.put(DOC_VERSION, value(p.docVersion()));
    values.put(SOURCE, value(p.source()));
    p.title().ifPresent(title -> values.put(TITLE, value(title)));
    values.put(SECTION, value(p.section()));
    p.contentType().ifPresent(type -> values.put(CONTENT_TYPE, value(type)));
    p.language().ifPresent(language -> values.put(LANGUAGE, value(language)));
    Map<String, Value> metadata = new LinkedHashMap<>();
    List<Value> pairs = new ArrayList<>();
    p.metadata().forEach((key, v) -> {
      metadata.put(key, value(v));
      pairs.add(value(key + META_SEPARATOR + v));
    });
    values.put(METADATA, value(metadata));
    values.put(META_PAIRS, list(pairs));
    values.put(TAGS, list(tags(p.metadata()).stream().map(io.qdrant.client.ValueFactory::value).toList()));
    values.put(ACL_GROUPS, list(p.aclGroups().stream().map(io.qdrant.client.ValueFactory::value).toList()));
    values.put(ACL_PUBLIC, value(p.aclGroups().isEmpty()));
    values.put(MODEL_ID, value(p.modelId()));
    values.put(EVENT_TIME, value(p.eventTime().toEpochMilli()));
    values.put(INDEXED_AT, value(p.indexedAt().toEpochMilli()));
    values.put(DELETED, value(p.deleted()));
    values.put(DELETED_AT, p.deletedAt().map(at -> value(at.toEpochMilli())).orElse(nullValue()));
    values.put(STAGED, value(p.staged()));
    values.put(FLAGS, list(p.flags().stream().map(io.qdrant.client.ValueFactory::value).toList()));
    return values;
  }

  static PointPayload fromValues(Map<String, Value> v) {
    Map<String, String> metadata = new HashMap<>();
    Value meta = v.get(METADATA);
    if (meta != null && meta.hasStructValue()) {
      meta.getStructValue().getFieldsMap().forEach((key, value) -> metadata.put(key, value.getStringValue()));
    }
    List<String> acl = new ArrayList<>();
    Value groups = v.get(ACL_GROUPS);
    if (groups != null && groups.hasListValue()) {
      groups.getListValue().getValuesList().forEach(group -> acl.add(group.getStringValue()));
    }
    return new PointPayload(
        string(v, TENANT), string(v, DOC_ID), string(v, CHUNK_ID), (int) integer(v, ORDINAL), string(v, TEXT),
        string(v, CONTENT_HASH), integer(v, DOC_VERSION), string(v, SOURCE), optional(v, TITLE), string(v, SECTION),
        optional(v, CONTENT_TYPE), optional(v, LANGUAGE), metadata, acl, string(v, MODEL_ID),
        Instant.ofEpochMilli(integer(v, EVENT_TIME)), Instant.ofEpochMilli(integer(v, INDEXED_AT)),
        flag(v, DELETED), instant(v, DELETED_AT), flag(v, STAGED), strings(v, FLAGS));
  }

  // A list of strings, empty when absent (points written before the field existed).
  private static List<String> strings(Map<String, Value> v, String key) {
    Value list = v.get(key);
    if (list == null || !list.hasListValue()) {
      return List.of();
    }
    return list.getListValue().getValuesList().stream().map(Value::getStringValue).toList();
  }

  /** The tags of a point: the comma-separated values of its {@code tags} metadata, trimmed. */
  static List<String> tags(Map<String, String> metadata) {
    String tags = metadata.get(SearchFilters.TAGS_KEY);
    if (tags == null) {
      return List.of();
    }
    return Arrays.stream(tags.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).distinct().toList();
  }

  private static String string(Map<String, Value> v, String key) {
    Value value = v.get(key);
    if (value == null) {
      throw new IllegalStateException("Qdrant point has no payload." + key + " (written by something other than Sluice?)");
    }
    return value.getStringValue();
  }

  private static Optional<String> optional(Map<String, Value> v, String key) {
    Value value = v.get(key);
    return value == null || !value.hasStringValue() ? Optional.empty() : Optional.of(value.getStringValue());
  }

  private static long integer(Map<String, Value> v, String key) {
    Value value = v.get(key);
    if (value == null) {
      throw new IllegalStateException("Qdrant point has no payload." + key + " (written by something other than Sluice?)");
    }
    return value.hasIntegerValue() ? value.getIntegerValue() : (long) value.getDoubleValue();
  }

  /** A boolean key; absent is false, so points written before {@code staged} existed read as visible. */
  private static boolean flag(Map<String, Value> v, String key) {
    Value value = v.get(key);
    return value != null && value.getBoolValue();
  }

  private static Optional<Instant> instant(Map<String, Value> v, String key) {
    Value value = v.get(key);
    return value == null || !value.hasIntegerValue() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value.getIntegerValue()));
  }
}
