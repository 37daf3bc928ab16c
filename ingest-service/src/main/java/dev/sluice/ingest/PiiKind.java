package dev.sluice.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of personal data the {@link PiiRedactor} removes from document text. The names are the
 * values of {@code ingest.pii.kinds} and the {@code kind} tag of {@code sluice.ingest.pii.redacted};
 * the placeholders replace the values in chunk text (so embeddings and search still see that, say, an
 * e-mail address was there).
 */
public enum PiiKind {
  EMAIL("email", "[EMAIL]"),
  PHONE("phone", "[PHONE]"),
  CARD("card", "[CARD]"),
  IBAN("iban", "[IBAN]");

  private final String wireName;
  private final String placeholder;

  PiiKind(String wireName, String placeholder) {
    this.wireName = wireName;
    this.placeholder = placeholder;
  }

  /** The name in settings and metric tags. */
  public String wireName() {
    return wireName;
  }

  /** What replaces a value of this kind. */
  public String placeholder() {
    return placeholder;
  }

  /** The kind named {@code name} (case-insensitive), if any. */
  public static Optional<PiiKind> fromName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.wireName.equals(wanted)).findFirst();
  }
}
