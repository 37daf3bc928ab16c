package dev.sluice.query;

import dev.sluice.index.VectorIndex;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the service can answer searches: the index is open and readable and holds vectors of the
 * model queries are embedded with (an index of another model would answer with meaningless
 * neighbours, so it is refused rather than served). The answer is cached briefly because every
 * search asks. Thread-safe.
 */
final class Readiness {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  /** How long one answer is reused. */
  static final long CACHE_NANOS = 500_000_000L;
  /** What a caller is told to wait before retrying a refused request. */
  static final long RETRY_AFTER_SECONDS = 5;

  private record Checked(long atNanos, Optional<String> problem) {}

  private final VectorIndex index;
  private final String queryModelId;
  private final AtomicReference<Checked> last = new AtomicReference<>();

  Readiness(VectorIndex index, String queryModelId) {
    this.index = index;
    this.queryModelId = queryModelId;
  }

  /** Why the service is not ready, or empty when it is. */
  Optional<String> problem() {
    Checked checked = last.get();
    long now = System.nanoTime();
    if (checked == null || now - checked.atNanos() > CACHE_NANOS) {
      checked = new Checked(now, check());
      last.set(checked);
    }
    return checked.problem();
  }

  /** @throws ApiError 503 {@code not-ready} when the service is not ready */
  void require() {
    problem().ifPresent(problem -> {
      throw ApiError.unavailable("not-ready", problem, RETRY_AFTER_SECONDS);
    });
  }

  /** Forgets the cached answer, so that the next request checks again (after a failed read). */
  void invalidate() {
    last.set(null);
  }

  private Optional<String> check() {
    Optional<String> indexModel;
    try {
      index.count();
      indexModel = index.modelId();
    } catch (RuntimeException e) {
      // The cause may name paths on the server: it goes to the log, not to the caller.
      log.warn("index not readable", e);
      return Optional.of("the index cannot be read at the moment; see the service log");
    }
    return indexModel
        .filter(model -> !model.equals(queryModelId))
        .map(model -> "the index holds vectors of model '" + model + "' but this service embeds queries with '"
            + queryModelId + "'; start it with the index's model");
  }
}
