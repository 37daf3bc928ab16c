package dev.sluice.query;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The two limits that keep one caller, or a crowd, from starving the service: a token bucket per
 * bearer token (sustained rate plus burst) and a bulkhead on concurrent searches. Both refuse with
 * 429 and a {@code Retry-After}, so a well-behaved client backs off instead of piling on.
 * Thread-safe.
 */
final class RequestLimits {

  /** A held search slot; release it exactly once, when the search is done. */
  interface Slot {
    void release();
  }

  private final QueryConfig.Limits limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  // Fair, so a search that waited longest gets the next free slot rather than a newcomer.
  private final Semaphore searches;

  RequestLimits(QueryConfig.Limits limits) {
    this.limits = limits;
    this.searches = new Semaphore(limits.maxConcurrentSearches(), true);
  }

  /**
   * Takes one request from {@code token}'s bucket.
   *
   * @throws ApiError 429 {@code rate-limited} when the bucket is empty
   */
  void admit(String token) {
    ConsumptionProbe probe = buckets.computeIfAbsent(token, t -> newBucket()).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long waitSeconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L);
      throw ApiError.tooManyRequests("rate-limited", "this token may send " + limits.requestsPerSecond()
          + " requests per second (bursts of " + limits.burst() + "); retry after the Retry-After seconds", waitSeconds);
    }
  }

  /**
   * Waits up to the configured queue time for a search slot.
   *
   * @throws ApiError 429 {@code too-many-concurrent-searches} when none frees up in time
   */
  Slot searchSlot() {
    boolean acquired;
    try {
      acquired = searches.tryAcquire(limits.maxQueueMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      throw ApiError.tooManyRequests("too-many-concurrent-searches", limits.maxConcurrentSearches()
          + " searches are already running and none finished within " + limits.maxQueueMillis() + " ms; retry shortly", 1);
    }
    return searches::release;
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(limits.burst()).refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)))
        .build();
  }
}
