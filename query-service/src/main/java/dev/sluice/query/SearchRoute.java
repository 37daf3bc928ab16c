package dev.sluice.query;

import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.VectorIndex;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/search}: validate, check readiness, take a search slot, embed the query (not for
 * keyword mode, which needs no vector), search within the caller's scope. Query embedding and index
 * search are timed apart ({@code sluice.search.stage} and the {@code Server-Timing} header), because
 * on a small machine the first dominates and hides the second.
 */
final class SearchRoute {
  private static final Logger log = LoggerFactory.getLogger(SearchRoute.class);
  private final SearchQueryParser parser;
  private final QueryEmbedders embedders;
  private final VectorIndex index;
  private final Readiness readiness;
  private final RequestLimits limits;
  private final String modelId;
  private final MeterRegistry meters;
  private final long maxBodyBytes;

  SearchRoute(SearchQueryParser parser, QueryEmbedders embedders, VectorIndex index, Readiness readiness,
      RequestLimits limits, String modelId, MeterRegistry meters, long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.parser = parser;
    this.embedders = embedders;
    this.index = index;
    this.readiness = readiness;
    this.limits = limits;
    this.modelId = modelId;
    this.meters = meters;
  }

  void handle(Context ctx, AuthTokens.Caller caller) {
    long started = System.nanoTime();
    SearchQueryParser.SearchQuery query = parser.parse(RequestBodies.read(ctx, maxBodyBytes));
    readiness.require();
    List<SearchHit> hits;
    long embedNanos;
    long searchNanos;
    RequestLimits.Slot slot = limits.searchSlot();
    try {
      long embedStart = System.nanoTime();
      float[] vector = query.mode() == SearchMode.KEYWORD ? null : embedders.embedQuery(query.text());
      embedNanos = System.nanoTime() - embedStart;
      long searchStart = System.nanoTime();
      hits = search(new SearchRequest(new SearchScope(caller.tenant(), caller.groups()), vector, query.text(),
          query.topK(), query.mode(), query.filters()));
      searchNanos = System.nanoTime() - searchStart;
    } finally {
      slot.release();
    }
    record(query.mode(), "embed", embedNanos);
    record(query.mode(), "search", searchNanos);
    ctx.header("Server-Timing", String.format(Locale.ROOT, "embed;dur=%.2f, search;dur=%.2f", embedNanos / 1e6, searchNanos / 1e6));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    ctx.json(new ApiResponses.SearchResponse(hits.stream().map(ApiResponses.SearchResult::of).toList(), modelId, tookMs));
  }

  // A read that fails because the index was closed or its files vanished is the index being
  // unavailable (503, retry), not a bug in the request (500).
  private List<SearchHit> search(SearchRequest request) {
    try {
      return index.search(request);
    } catch (IllegalStateException | UncheckedIOException e) {
      log.warn("search failed on the index; answering 503", e);
      readiness.invalidate();
      readiness.require();
      throw ApiError.unavailable("index-unavailable", "the index cannot be searched at the moment; retry shortly",
          Readiness.RETRY_AFTER_SECONDS);
    }
  }

  private void record(SearchMode mode, String stage, long nanos) {
    Timer.builder("sluice.search.stage").description("Time per search stage: query embedding and index search")
        .tag("mode", mode.name().toLowerCase(Locale.ROOT)).tag("stage", stage)
        .register(meters).record(nanos, TimeUnit.NANOSECONDS);
  }
}
