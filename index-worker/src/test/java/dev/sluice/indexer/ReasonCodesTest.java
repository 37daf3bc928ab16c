package dev.sluice.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.PointRejectedException;
import dev.sluice.schemas.ReasonCode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The index contract names its rejection reasons in {@code vector-index} (which knows no schemas);
 * the index-worker dead-letters them as they are, so each must be in the one catalogue.
 */
class ReasonCodesTest {

  @Test
  void everyReasonTheIndexCanRejectAPointWithIsInTheCatalogue() throws IllegalAccessException {
    List<String> reasons = new ArrayList<>();
    for (Field field : PointRejectedException.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        reasons.add((String) field.get(null));
      }
    }

    assertThat(reasons).isNotEmpty().allSatisfy(reason -> assertThat(ReasonCode.fromCode(reason)).as(reason).isPresent());
  }
}
