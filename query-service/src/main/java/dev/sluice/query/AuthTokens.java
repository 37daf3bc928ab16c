package dev.sluice.query;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bearer tokens and the caller each stands for, from {@code token=tenant} or {@code
 * token=tenant|group1|group2} entries, comma-separated. The tenant and groups of every request come
 * from here, never from the request body.
 */
public final class AuthTokens {
  private static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

  /** Who a token stands for. */
  public record Caller(String tenant, Set<String> groups) {
    public Caller {
      groups = Set.copyOf(groups);
    }
  }

  private final Map<String, Caller> callers;

  private AuthTokens(Map<String, Caller> callers) {
    this.callers = Map.copyOf(callers);
  }

  /** @throws IllegalArgumentException naming the bad entry (never echoing a token) */
  public static AuthTokens parse(String spec) {
    Map<String, Caller> callers = new HashMap<>();
    int position = 0;
    for (String entry : spec.split(",")) {
      position++;
      String trimmed = entry.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0 || eq == trimmed.length() - 1) {
        throw new IllegalArgumentException("entry " + position + " is not token=tenant[|group...]");
      }
      String[] parts = trimmed.substring(eq + 1).split("\\|");
      String tenant = parts[0].strip();
      if (!TENANT.matcher(tenant).matches()) {
        throw new IllegalArgumentException("entry " + position + ": tenant '" + tenant + "' must match " + TENANT.pattern());
      }
      Set<String> groups = new LinkedHashSet<>();
      for (int i = 1; i < parts.length; i++) {
        if (!parts[i].isBlank()) {
          groups.add(parts[i].strip());
        }
      }
      callers.put(trimmed.substring(0, eq).strip(), new Caller(tenant, groups));
    }
    if (callers.isEmpty()) {
      throw new IllegalArgumentException("no token entries");
    }
    return new AuthTokens(callers);
  }

  public Optional<Caller> caller(String token) {
    return Optional.ofNullable(callers.get(token));
  }
}
