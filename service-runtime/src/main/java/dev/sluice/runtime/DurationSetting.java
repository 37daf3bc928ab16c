package dev.sluice.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A duration written the way operators write them: {@code 72h}, {@code 30m}, {@code 10s}, {@code
 * 500ms}, {@code 3d}, or ISO-8601 ({@code PT72H}). Validates every service's duration settings, and
 * parses the same syntax for command-line tools ({@code sluice purge --older-than}). Thread-safe.
 */
public final class DurationSetting implements ConfigDef.Validator {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is accepted. */
  public static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 72h, 30m, 10s, 500ms, 3d or PT72H");
    }
  }

  @Override
  public void ensureValid(String name, Object value) {
    try {
      Duration d = parse(String.valueOf(value));
      if (d.isNegative() || d.isZero()) {
        throw new ConfigException(name, value, "must be positive");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "a positive duration such as 72h, 30m, 10s or 500ms";
  }
}
