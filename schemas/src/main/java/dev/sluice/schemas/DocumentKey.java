package dev.sluice.schemas;

/**
 * The record key of every topic: {@code tenant/docId}. Tenants cannot contain '/', so the first '/'
 * separates them; a docId may contain further '/' (file paths do).
 */
public record DocumentKey(String tenant, String docId) {

  public static DocumentKey parse(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      throw new IllegalArgumentException("record key '" + key + "' is not tenant/docId");
    }
    return new DocumentKey(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The key as written to Kafka. */
  public String asKey() {
    return tenant + "/" + docId;
  }

  @Override
  public String toString() {
    return asKey();
  }
}
