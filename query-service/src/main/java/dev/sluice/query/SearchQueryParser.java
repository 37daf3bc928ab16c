package dev.sluice.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchMode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** Reads and validates the body of {@code POST /v1/search}; every failure names the field and why. */
final class SearchQueryParser {
  static final int MAX_QUERY_CHARS = 2000;
  static final int DEFAULT_TOP_K = 10;
  private static final Set<String> FIELDS = Set.of("query", "topK", "mode", "filters");

  private final ObjectMapper json;
  private final int maxTopK;

  /** @param maxTopK largest topK accepted (50 by the API contract; raised only for evaluation runs) */
  SearchQueryParser(ObjectMapper json, int maxTopK) {
    this.json = json;
    this.maxTopK = maxTopK;
  }

  /** A valid search query. */
  record SearchQuery(String text, int topK, SearchMode mode, SearchFilters filters) {}

  SearchQuery parse(String body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("malformed-json", "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiError.badRequest("malformed-json", "the body must be a JSON object like {\"query\": \"...\", \"topK\": 10}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.equals("tenant") || name.equals("groups")) {
        throw ApiError.badRequest("field-not-allowed", "'" + name + "' comes from your token, not from the request body");
      }
      if (!FIELDS.contains(name)) {
        throw ApiError.badRequest("unknown-field", "unknown field '" + name + "'; known fields: " + FIELDS);
      }
    }
    JsonNode query = root.get("query");
    if (query == null || !query.isTextual() || query.asText().isBlank()) {
      throw ApiError.badRequest("invalid-query", "'query' is required: a non-empty string");
    }
    if (query.asText().length() > MAX_QUERY_CHARS) {
      throw ApiError.badRequest("invalid-query", "'query' is " + query.asText().length() + " characters; the limit is " + MAX_QUERY_CHARS);
    }
    return new SearchQuery(query.asText(), topK(root.get("topK")), mode(root.get("mode")),
        SearchFiltersParser.parse(root.get("filters")));
  }

  private int topK(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_TOP_K;
    }
    if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > maxTopK) {
      throw ApiError.badRequest("invalid-topK", "'topK' must be an integer from 1 to " + maxTopK + ", was " + node);
    }
    return node.asInt();
  }

  private static SearchMode mode(JsonNode node) {
    if (node == null || node.isNull()) {
      return SearchMode.HYBRID;
    }
    String value = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : "";
    return switch (value) {
      case "dense" -> SearchMode.DENSE;
      case "keyword" -> SearchMode.KEYWORD;
      case "hybrid" -> SearchMode.HYBRID;
      default -> throw ApiError.badRequest("invalid-mode", "'mode' must be one of dense, keyword, hybrid; was " + node);
    };
  }
}
