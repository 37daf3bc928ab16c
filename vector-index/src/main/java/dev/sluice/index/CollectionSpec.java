package dev.sluice.index;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a collection holds: vectors of one model, of one dimension, compared with one metric. Fixed
 * when the collection is created; a collection never holds two models.
 *
 * @param name collection name: lowercase letters, digits, '-', '_' and '.', at most 64 characters
 */
public record CollectionSpec(String name, String modelId, int dimension, Metric metric) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** How vectors are compared. Embedding models in the catalogue emit normalised vectors. */
  public enum Metric {
    COSINE,
    DOT,
    EUCLID
  }

  public CollectionSpec {
    requireValidName(name);
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(metric, "metric");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, was " + dimension);
    }
  }

  /** Checks a collection or alias name (both share the same rules). */
  public static String requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid collection or alias name '" + name + "': use lowercase letters, digits, '.', '_' or '-', "
              + "starting with a letter or digit, at most 64 characters");
    }
    return name;
  }
}
