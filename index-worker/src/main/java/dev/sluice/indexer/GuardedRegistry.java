package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import java.util.Map;
import java.util.Optional;

/** The worker's view of the registry: calls go through {@link ResilientCalls}, as the index's do. */
final class GuardedRegistry implements DocumentRegistry {
  private final DocumentRegistry registry;
  private final ResilientCalls calls;

  GuardedRegistry(DocumentRegistry registry, ResilientCalls calls) {
    this.registry = registry;
    this.calls = calls;
  }

  @Override
  public void put(DocumentStatus status) {
    calls.run(() -> registry.put(status));
  }

  @Override
  public Optional<DocumentStatus> get(String tenant, String docId) {
    return calls.call(() -> registry.get(tenant, docId));
  }

  @Override
  public Map<DocumentStatus.State, Long> countByState() {
    return calls.call(registry::countByState);
  }

  @Override
  public Map<DocumentStatus.State, Long> countByState(String tenant) {
    return calls.call(() -> registry.countByState(tenant));
  }

  @Override
  public void commit() {
    calls.run(registry::commit);
  }

  @Override
  public void close() {
    // The owner closes the registry.
  }
}
