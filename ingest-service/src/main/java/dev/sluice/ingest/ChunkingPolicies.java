package dev.sluice.ingest;

import java.util.Map;
import java.util.stream.Stream;

/**
 * The chunking policy of each tenant: a default, and overrides for the tenants that need another
 * budget (a tenant whose model has a wider window, a tenant that wants no overlap).
 *
 * @param defaults the policy of every tenant without an override
 * @param byTenant overrides by tenant id
 */
public record ChunkingPolicies(ChunkingPolicy defaults, Map<String, ChunkingPolicy> byTenant) {
  public ChunkingPolicies {
    byTenant = Map.copyOf(byTenant);
  }

  public ChunkingPolicy forTenant(String tenant) {
    return byTenant.getOrDefault(tenant, defaults);
  }

  /** The widest budget of any tenant: the tokenizer window the service must load. */
  public int largestMaxTokens() {
    return Stream.concat(Stream.of(defaults), byTenant.values().stream())
        .mapToInt(ChunkingPolicy::maxTokens).max().orElseThrow();
  }
}
