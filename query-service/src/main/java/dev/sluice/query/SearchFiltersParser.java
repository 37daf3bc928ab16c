package dev.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.index.SearchFilters;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code filters} object of a search into {@link SearchFilters}. Strict on purpose: an
 * unknown or misspelt filter would otherwise widen a search silently, so it is a 400 naming the
 * field.
 */
final class SearchFiltersParser {
  static final List<String> FIELDS = List.of("docIds", "sources", "contentTypes", "languages", "tags", "metadata",
      "updatedAfter", "updatedBefore", "flags", "excludeFlags");

  /** Most values of one list filter: any one of them matches, so more only cost the index. */
  static final int MAX_VALUES = 1024;
  /**
   * Most metadata pairs: each is one clause of the index's query, and Lucene refuses a query of more
   * than 1024 clauses (an error, not an empty result); a document carries at most 128 entries by default.
   */
  static final int MAX_METADATA_PAIRS = 128;
  // Dates the index can hold as epoch milliseconds, with room to spare: ISO-8601's four-digit years.
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private SearchFiltersParser() {}

  static SearchFilters parse(JsonNode node) {
    if (node == null || node.isNull()) {
      return SearchFilters.NONE;
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("invalid-filters", "'filters' must be an object, e.g. {\"sources\": [\"wiki\"]}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiError.badRequest("unknown-filter", "unknown filter 'filters." + name + "'; known filters: " + FIELDS);
      }
    }
    Optional<Instant> after = instant(node, "updatedAfter");
    Optional<Instant> before = instant(node, "updatedBefore");
    if (after.isPresent() && before.isPresent() && !after.get().isBefore(before.get())) {
      throw ApiError.badRequest("invalid-filter", "'filters.updatedAfter' must be earlier than 'filters.updatedBefore'");
    }
    return new SearchFilters(strings(node, "docIds"), strings(node, "sources"), strings(node, "contentTypes"),
        strings(node, "languages"), strings(node, "tags"), metadata(node.get("metadata")), after, before,
        strings(node, "flags"), strings(node, "excludeFlags"));
  }

  private static Set<String> strings(JsonNode filters, String field) {
    JsonNode node = filters.get(field);
    if (node == null || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw ApiError.badRequest("invalid-filter", "'filters." + field + "' must be an array of strings, was " + node.getNodeType());
    }
    if (node.size() > MAX_VALUES) {
      throw ApiError.badRequest("invalid-filter", "'filters." + field + "' has " + node.size() + " values; the limit is " + MAX_VALUES);
    }
    Set<String> values = new LinkedHashSet<>();
    for (JsonNode value : node) {
      if (!value.isTextual() || value.asText().isEmpty()) {
        throw ApiError.badRequest("invalid-filter", "'filters." + field + "' must hold non-empty strings, found " + value);
      }
      values.add(value.asText());
    }
    return values;
  }

  private static Map<String, String> metadata(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("invalid-filter", "'filters.metadata' must be an object of string values, e.g. {\"team\": \"ops\"}");
    }
    if (node.size() > MAX_METADATA_PAIRS) {
      throw ApiError.badRequest("invalid-filter", "'filters.metadata' has " + node.size() + " pairs; the limit is "
          + MAX_METADATA_PAIRS);
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw ApiError.badRequest("invalid-filter", "'filters.metadata." + field.getKey() + "' must be a string (metadata "
            + "values are matched exactly as text), was " + field.getValue());
      }
      pairs.put(field.getKey(), field.getValue().asText());
    }
    return pairs;
  }

  /** An ISO-8601 instant ({@code 2025-03-01T12:00:00Z}), offset date-time, or date (midnight UTC). */
  private static Optional<Instant> instant(JsonNode filters, String field) {
    JsonNode node = filters.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    String text = node.isTextual() ? node.asText() : node.toString();
    Instant instant;
    try {
      instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid-filter", "'filters." + field + "' must be an ISO-8601 date-time such as "
          + "2025-03-01T12:00:00Z (or a date such as 2025-03-01), was " + node);
    }
    // The parser takes years of nine digits, which overflow the index's epoch milliseconds.
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw ApiError.badRequest("invalid-filter", "'filters." + field + "' must be between 0000-01-01 and 9999-12-31, was " + node);
    }
    return Optional.of(instant);
  }
}
