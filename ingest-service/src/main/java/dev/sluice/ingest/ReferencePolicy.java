package dev.sluice.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where content by reference may be read from.
 *
 * @param allowedRoots directories under which {@code file:} references may be read (after
 *     resolving symlinks); none unless configured
 * @param httpAllowedHosts hosts {@code http(s):} references may name; {@code *.example.com} admits
 *     every subdomain; empty disables http(s) references
 * @param httpTimeout longest time to fetch one document over http(s), connection to last byte
 */
public record ReferencePolicy(List<Path> allowedRoots, List<String> httpAllowedHosts, Duration httpTimeout) {
  public ReferencePolicy {
    allowedRoots = List.copyOf(allowedRoots);
    httpAllowedHosts = httpAllowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
  }

  boolean httpEnabled() {
    return !httpAllowedHosts.isEmpty();
  }

  boolean hostAllowed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return httpAllowedHosts.stream().anyMatch(allowed ->
        allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed));
  }
}
