package dev.sluice.indexer;

import dev.sluice.index.VectorIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention purge: hard-deletes points soft-deleted longer ago than the retention. Every task
 * schedules it, but the purge is index-wide, so one schedule shared by the worker's tasks lets only
 * the first task due in each interval run it. Thread-safe.
 */
final class PurgeSchedule {
  private static final Logger log = LoggerFactory.getLogger(PurgeSchedule.class);

  private final VectorIndex index;
  private final IndexConfig.Purge policy;
  private final IndexMetrics metrics;
  private final AtomicLong lastRun = new AtomicLong(Long.MIN_VALUE);

  PurgeSchedule(VectorIndex index, IndexConfig.Purge policy, IndexMetrics metrics) {
    this.index = index;
    this.policy = policy;
    this.metrics = metrics;
  }

  Duration interval() {
    return policy.interval();
  }

  /** Purges if no task did in the last interval; returns the number of points removed. */
  long runIfDue(Instant now) {
    long last = lastRun.get();
    if (last != Long.MIN_VALUE && now.toEpochMilli() - last < policy.interval().toMillis()) {
      return 0;
    }
    if (!lastRun.compareAndSet(last, now.toEpochMilli())) {
      return 0;
    }
    Instant cutoff = now.minus(policy.retention());
    long purged = index.purgeDeleted(cutoff);
    metrics.purged(purged);
    if (purged > 0) {
      log.info("purged {} points soft-deleted before {}", purged, cutoff);
    }
    return purged;
  }
}
