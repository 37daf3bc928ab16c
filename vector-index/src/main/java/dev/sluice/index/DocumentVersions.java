package dev.sluice.index;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versions one document's points carry. A document indexed cleanly has one version among its
 * live points; more than one means a version swap has not completed (or was interrupted and not
 * yet replayed).
 *
 * @param liveByVersion number of visible (neither deleted nor staged) points per {@code docVersion}
 * @param deleted number of soft-deleted points
 * @param staged number of points staged for a version not published (yet)
 */
public record DocumentVersions(String tenant, String docId, SortedMap<Long, Integer> liveByVersion, int deleted, int staged) {
  public DocumentVersions {
    liveByVersion = Collections.unmodifiableSortedMap(new TreeMap<>(liveByVersion));
  }

  /** Live points of all versions. */
  public int live() {
    return liveByVersion.values().stream().mapToInt(Integer::intValue).sum();
  }
}
