package dev.sluice.index;

import java.util.Map;
import java.util.Optional;

/**
 * What the index knows about each document: its state, version and chunk count. Written by the
 * index-worker, read by the query service's status API. Thread-safe; {@link #put} is idempotent.
 */
public interface DocumentRegistry extends AutoCloseable {

  /** Replaces the status of one document. */
  void put(DocumentStatus status);

  Optional<DocumentStatus> get(String tenant, String docId);

  /** Number of documents per state, all tenants. */
  Map<DocumentStatus.State, Long> countByState();

  /** Number of documents per state of one tenant (every state present, zero when none). */
  Map<DocumentStatus.State, Long> countByState(String tenant);

  /** Makes every write so far durable. */
  void commit();

  @Override
  void close();
}
