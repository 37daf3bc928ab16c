package dev.sluice.index;

import java.util.Objects;
import java.util.Set;

/**
 * Who is searching: the tenant and the caller's access groups, both from the caller's token. A point
 * with no ACL groups is visible to the whole tenant; otherwise to callers sharing one of its groups.
 */
public record SearchScope(String tenant, Set<String> groups) {
  public SearchScope {
    Objects.requireNonNull(tenant, "tenant");
    groups = Set.copyOf(groups);
  }
}
