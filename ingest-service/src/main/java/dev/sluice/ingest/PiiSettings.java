package dev.sluice.ingest;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which tenants' documents are redacted, and of what ({@code ingest.pii.redact.tenants}, {@code
 * ingest.pii.kinds}). Off by default: redaction changes what is searchable, so a tenant opts in.
 *
 * @param allTenants every tenant ({@code *})
 * @param tenants the tenants that redact, when not all
 * @param kinds what is redacted; not empty
 */
public record PiiSettings(boolean allTenants, Set<String> tenants, Set<PiiKind> kinds) {
  /** Every tenant, as {@code ingest.pii.redact.tenants} spells it. */
  static final String ALL_TENANTS = "*";
  /** Every kind, the default of {@code ingest.pii.kinds}. */
  static final List<String> ALL_KINDS = Arrays.stream(PiiKind.values()).map(PiiKind::wireName).toList();

  /** Validates {@code ingest.pii.redact.tenants}: tenant ids, or {@code *} alone. */
  static final ConfigDef.Validator TENANTS = ConfigDef.LambdaValidator.with((key, value) -> {
    List<String> tenants = entries(value);
    if (tenants.contains(ALL_TENANTS) && tenants.size() > 1) {
      throw new ConfigException(key, value, "'*' means every tenant: list tenants or '*', not both");
    }
    tenants.stream().filter(t -> !t.equals(ALL_TENANTS) && !DocumentEventValidator.TENANT.matcher(t).matches()).findFirst()
        .ifPresent(t -> {
          throw new ConfigException(key, value, "'" + t + "' is not a tenant id (" + DocumentEventValidator.TENANT.pattern() + ")");
        });
  }, () -> "tenant ids, or '*' for every tenant");

  /** Validates {@code ingest.pii.kinds}: at least one of the known kinds. */
  static final ConfigDef.Validator KINDS = ConfigDef.LambdaValidator.with((key, value) -> {
    List<String> kinds = entries(value);
    if (kinds.isEmpty()) {
      throw new ConfigException(key, value, "name at least one of " + ALL_KINDS);
    }
    kinds.stream().filter(k -> PiiKind.fromName(k).isEmpty()).findFirst().ifPresent(k -> {
      throw new ConfigException(key, value, "'" + k + "' is not one of " + ALL_KINDS);
    });
  }, () -> "non-empty list of " + ALL_KINDS);

  /** Redacts nothing. */
  public static final PiiSettings OFF = new PiiSettings(false, Set.of(), EnumSet.allOf(PiiKind.class));

  public PiiSettings {
    tenants = Set.copyOf(tenants);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one kind of personal data must be named");
    }
    kinds = Set.copyOf(kinds);
  }

  /** Settings from the validated values of the two keys. */
  static PiiSettings parse(List<String> tenants, List<String> kinds) {
    List<String> named = entries(tenants);
    Set<PiiKind> parsed = EnumSet.noneOf(PiiKind.class);
    entries(kinds).forEach(k -> parsed.add(PiiKind.fromName(k).orElseThrow()));
    return new PiiSettings(named.contains(ALL_TENANTS), named.contains(ALL_TENANTS) ? Set.of() : Set.copyOf(named), parsed);
  }

  /** Whether {@code tenant}'s documents are redacted. */
  public boolean redacts(String tenant) {
    return allTenants || tenants.contains(tenant);
  }

  /**
   * Identifies what redaction does to {@code tenant}'s text: empty when it is off, so that turning it
   * on (or changing the kinds) re-chunks an unchanged document once instead of deduplicating it
   * against chunks that still hold the values.
   */
  String fingerprint(String tenant) {
    if (!redacts(tenant)) {
      return "";
    }
    return ":pii=" + kinds.stream().sorted().map(PiiKind::wireName).collect(Collectors.joining(","));
  }

  private static List<String> entries(Object list) {
    return ((List<?>) list).stream().map(e -> String.valueOf(e).strip()).filter(e -> !e.isEmpty()).toList();
  }
}
