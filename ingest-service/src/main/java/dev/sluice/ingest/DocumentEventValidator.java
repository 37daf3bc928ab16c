package dev.sluice.ingest;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.schemas.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.tika.mime.MediaType;

/**
 * The rules every {@link DocumentEvent} must satisfy before any work is done on it: identity, content
 * presence, and the size of every field ({@link EventLimits}), each size with its own reason code so
 * a producer sees which field to shorten. Thread-safe.
 */
final class DocumentEventValidator {
  static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  static final int MAX_DOC_ID = 256;
  static final String INVALID = IngestReasons.INVALID_EVENT;

  private final long inlineMaxBytes;
  private final EventLimits limits;

  /**
   * @param inlineMaxBytes largest inline content
   * @param limits sizes of the other fields
   */
  DocumentEventValidator(long inlineMaxBytes, EventLimits limits) {
    this.inlineMaxBytes = inlineMaxBytes;
    this.limits = limits;
  }

  /** The first rule the event breaks, if any. */
  Optional<Failure> check(String key, DocumentEvent event) {
    if (!TENANT.matcher(event.getTenant()).matches()) {
      return fail("tenant '" + event.getTenant() + "' must match " + TENANT.pattern());
    }
    int docIdLength = event.getDocId().length();
    if (docIdLength < 1 || docIdLength > MAX_DOC_ID) {
      return fail("docId must be 1-" + MAX_DOC_ID + " characters, was " + docIdLength);
    }
    if (event.getDocId().chars().anyMatch(Character::isISOControl)) {
      return fail("docId must not contain control characters");
    }
    String expectedKey = event.getTenant() + "/" + event.getDocId();
    if (!expectedKey.equals(key)) {
      return fail("record key '" + key + "' must be tenant/docId ('" + expectedKey + "') so the document's events stay ordered");
    }
    if (event.getVersion() < 0) {
      return fail("version must not be negative, was " + event.getVersion());
    }
    if (event.getSource().isBlank()) {
      return fail("source must not be blank (a URI or label shown in citations)");
    }
    Optional<Failure> oversize = checkSizes(event);
    if (oversize.isPresent()) {
      return oversize;
    }
    if (event.getOp() == Operation.UPSERT) {
      return checkContent(event);
    }
    return Optional.empty();
  }

  // Every op: a DELETE's fields travel in its manifest, and one rule for all events is simpler to publish against.
  private Optional<Failure> checkSizes(DocumentEvent event) {
    Optional<Failure> failure = longer(ReasonCode.SOURCE_TOO_LONG, "source", event.getSource(), limits.sourceChars(),
        IngestConfig.LIMIT_SOURCE_CHARS)
        .or(() -> longer(ReasonCode.TITLE_TOO_LONG, "title", event.getTitle(), limits.titleChars(), IngestConfig.LIMIT_TITLE_CHARS))
        .or(() -> longer(ReasonCode.CONTENT_TYPE_TOO_LONG, "contentType", event.getContentType(), limits.contentTypeChars(),
            IngestConfig.LIMIT_CONTENT_TYPE_CHARS))
        .or(() -> longer(ReasonCode.TRACE_ID_TOO_LONG, "traceId", event.getTraceId(), limits.traceIdChars(),
            IngestConfig.LIMIT_TRACE_ID_CHARS));
    return failure.or(() -> checkMetadata(event.getMetadata())).or(() -> checkAclGroups(event.getAclGroups()));
  }

  private Optional<Failure> checkMetadata(Map<String, String> metadata) {
    if (metadata.size() > limits.metadataEntries()) {
      return fail(ReasonCode.METADATA_TOO_MANY_ENTRIES, "metadata has " + metadata.size() + " entries, the limit is "
          + limits.metadataEntries() + " (" + IngestConfig.LIMIT_METADATA_ENTRIES + ")");
    }
    long totalBytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (entry.getKey().length() > limits.metadataKeyChars()) {
        return fail(ReasonCode.METADATA_KEY_TOO_LONG, "metadata key '" + preview(entry.getKey()) + "' is "
            + entry.getKey().length() + " characters, the limit is " + limits.metadataKeyChars() + " ("
            + IngestConfig.LIMIT_METADATA_KEY_CHARS + ")");
      }
      if (entry.getValue().length() > limits.metadataValueChars()) {
        return fail(ReasonCode.METADATA_VALUE_TOO_LONG, "metadata value of '" + preview(entry.getKey()) + "' is "
            + entry.getValue().length() + " characters, the limit is " + limits.metadataValueChars() + " ("
            + IngestConfig.LIMIT_METADATA_VALUE_CHARS + ")");
      }
      totalBytes += utf8Bytes(entry.getKey()) + utf8Bytes(entry.getValue());
    }
    if (totalBytes > limits.metadataTotalBytes()) {
      return fail(ReasonCode.METADATA_TOO_LARGE, "metadata keys and values are " + totalBytes + " bytes of UTF-8, the limit is "
          + limits.metadataTotalBytes() + " (" + IngestConfig.LIMIT_METADATA_TOTAL_BYTES + ")");
    }
    return Optional.empty();
  }

  private Optional<Failure> checkAclGroups(List<String> groups) {
    if (groups.size() > limits.aclGroups()) {
      return fail(ReasonCode.TOO_MANY_ACL_GROUPS, "aclGroups has " + groups.size() + " groups, the limit is "
          + limits.aclGroups() + " (" + IngestConfig.LIMIT_ACL_GROUPS + ")");
    }
    for (String group : groups) {
      Optional<Failure> failure = longer(ReasonCode.ACL_GROUP_TOO_LONG, "ACL group '" + preview(group) + "'", group,
          limits.aclGroupChars(), IngestConfig.LIMIT_ACL_GROUP_CHARS);
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private Optional<Failure> checkContent(DocumentEvent event) {
    boolean inline = event.getContent() != null;
    boolean byReference = event.getContentRef() != null;
    if (inline == byReference) {
      return fail("an UPSERT needs exactly one of content (inline) or contentRef");
    }
    if (inline && event.getContent().remaining() > inlineMaxBytes) {
      return fail("inline content is " + event.getContent().remaining() + " bytes, the inline limit is " + inlineMaxBytes
          + "; publish larger documents by reference (contentRef)");
    }
    if (byReference && event.getContentRef().isBlank()) {
      return fail("contentRef must not be blank");
    }
    if (event.getContentType() != null && MediaType.parse(event.getContentType()) == null) {
      return fail("contentType '" + event.getContentType() + "' is not a media type (type/subtype)");
    }
    return Optional.empty();
  }

  private static Optional<Failure> longer(ReasonCode reason, String field, String value, int limit, String setting) {
    if (value == null || value.length() <= limit) {
      return Optional.empty();
    }
    return fail(reason, field + " is " + value.length() + " characters, the limit is " + limit + " (" + setting + ")");
  }

  // Messages quote the offending key or group so it can be found, but never a whole oversize value.
  private static String preview(String value) {
    int end = Math.min(value.length(), 40);
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return end < value.length() ? value.substring(0, end) + "..." : value;
  }

  private static long utf8Bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Optional<Failure> fail(String message) {
    return Optional.of(Failure.of(INVALID, message));
  }

  private static Optional<Failure> fail(ReasonCode reason, String message) {
    return Optional.of(Failure.of(reason.code(), message));
  }
}
