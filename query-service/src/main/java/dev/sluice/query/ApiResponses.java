package dev.sluice.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.SearchHit;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the API, as records (field names are the public contract). */
final class ApiResponses {
  private ApiResponses() {}

  /** One hit; {@code title} and {@code section} are sent as null rather than left out, so every hit has the same keys. */
  record SearchResult(String docId, String chunkId, String text, double score, String source,
      @JsonInclude(JsonInclude.Include.ALWAYS) String title, @JsonInclude(JsonInclude.Include.ALWAYS) String section,
      long docVersion, String indexedAt, String modelId) {
    static SearchResult of(SearchHit hit) {
      var p = hit.payload();
      return new SearchResult(p.docId(), p.chunkId(), p.text(), hit.score(), p.source(), p.title().orElse(null),
          p.section(), p.docVersion(), p.indexedAt().toString(), p.modelId());
    }
  }

  record SearchResponse(List<SearchResult> results, String modelId, long tookMs) {}

  record Reason(String code, String message) {}

  /**
   * A document's status. {@code stage}: where a pending version is (embed, index), or where a failed
   * one failed; {@code searchableVersion}: the version search returns now (for a pending or failed
   * newer version, the previous one), absent when none is.
   */
  record DocumentStatusResponse(String docId, String state, long version, int chunks, String eventTime,
      String updatedAt, String indexedAt, Double eventToSearchableSeconds, String stage, Reason reason,
      Long searchableVersion) {
    static DocumentStatusResponse of(DocumentStatus s) {
      boolean indexed = s.state() == DocumentStatus.State.INDEXED;
      return new DocumentStatusResponse(s.docId(), s.state().name().toLowerCase(Locale.ROOT), s.version(), s.chunks(),
          s.eventTime().toString(), s.updatedAt().toString(), indexed ? s.updatedAt().toString() : null,
          indexed ? Duration.between(s.eventTime(), s.updatedAt()).toMillis() / 1000.0 : null,
          s.failure().map(DocumentStatus.Failure::stage).or(s::stage).orElse(null),
          s.failure().map(f -> new Reason(f.reason(), f.message())).orElse(null),
          s.searchableVersion().orElse(null));
    }
  }

  record Stats(long points, Map<String, Long> documents) {}

  record ErrorBody(Map<String, String> error) {
    static ErrorBody of(String code, String message) {
      return new ErrorBody(Map.of("code", code, "message", message));
    }
  }
}
