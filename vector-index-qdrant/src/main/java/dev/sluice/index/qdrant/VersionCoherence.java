package dev.sluice.index.qdrant;

import dev.sluice.index.SearchHit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last line of "one version at a time" for Qdrant, applied to every search response. Qdrant
 * publishes a version in one batch request, not in a transaction, so a search that runs while that
 * request is applied (or after a crash between its rewrites and its delete, until the manifest is
 * replayed) can match chunks of the old and of the new version of one document. Keeping, per
 * document, only the hits of the highest {@code docVersion} in the response hides the old version
 * as soon as any chunk of the new one is visible. The price is a response that may hold fewer than
 * top K hits during that window; a chunk that both versions share, caught before its payload moved
 * to the new version, is dropped from that one response too.
 */
final class VersionCoherence {

  private VersionCoherence() {}

  /** {@code hits} without those of a document version older than another hit of the same document, in order. */
  static List<SearchHit> latestVersionsOnly(List<SearchHit> hits) {
    Map<String, Long> latest = new HashMap<>();
    for (SearchHit hit : hits) {
      latest.merge(hit.payload().docId(), hit.payload().docVersion(), Math::max);
    }
    return hits.stream().filter(hit -> hit.payload().docVersion() == latest.get(hit.payload().docId())).toList();
  }
}
