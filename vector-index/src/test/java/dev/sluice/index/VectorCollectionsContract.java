package dev.sluice.index;

import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.index.CollectionSpec.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorCollections} adapter must do: collections fixed to one model, and aliases
 * that move atomically for blue/green re-embedding. An adapter's test supplies the collections and a
 * way to open one collection (or alias) as a {@link VectorIndex}.
 */
public abstract class VectorCollectionsContract {

  protected static final CollectionSpec MINILM = new CollectionSpec("minilm-v1", TestPoints.MODEL, TestPoints.DIMENSION, Metric.COSINE);
  protected static final CollectionSpec BGE = new CollectionSpec("bge-v1", "bge-model@99", TestPoints.DIMENSION, Metric.COSINE);

  protected abstract VectorCollections collections();

  /** Opens a collection, or the collection an alias points at, for writing. */
  protected abstract VectorIndex open(String nameOrAlias);

  @Test
  void createIsIdempotentAndDescribeReadsTheModel() {
    collections().create(MINILM);
    collections().create(MINILM);

    assertThat(collections().describe("minilm-v1")).contains(MINILM);
    assertThat(collections().describe("unknown")).isEmpty();
    assertThat(collections().list()).contains("minilm-v1");
  }

  @Test
  void aCollectionNeverChangesItsModel() {
    collections().create(MINILM);

    assertThatThrownBy(() -> collections().create(new CollectionSpec("minilm-v1", "other@1", 8, Metric.COSINE)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> collections().create(new CollectionSpec("minilm-v1", TestPoints.MODEL, 16, Metric.COSINE)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCreatedCollectionRefusesAnotherModelFromItsFirstPoint() {
    collections().create(BGE);
    try (VectorIndex index = open("bge-v1")) {
      assertThat(index.modelId()).contains("bge-model@99");
      assertThat(index.dimension()).hasValue(TestPoints.DIMENSION);
      assertThatThrownBy(() -> index.upsert(List.of(point("p1").build())))
          .isInstanceOf(PointRejectedException.class)
          .satisfies(e -> assertThat(((PointRejectedException) e).reason()).isEqualTo(PointRejectedException.MODEL_MISMATCH));
      index.upsert(List.of(point("p1").model("bge-model@99").build()));
      assertThat(index.count()).isEqualTo(1);
    }
  }

  @Test
  void anAliasMovesFromOneCollectionToAnother() {
    collections().create(MINILM);
    collections().create(BGE);

    collections().pointAlias("live", "minilm-v1");
    assertThat(collections().resolveAlias("live")).contains("minilm-v1");
    assertThat(collections().describe("live")).contains(MINILM);

    collections().pointAlias("live", "bge-v1");
    collections().pointAlias("live", "bge-v1");
    assertThat(collections().resolveAlias("live")).contains("bge-v1");
    assertThat(collections().describe("live").map(CollectionSpec::modelId)).contains("bge-model@99");
    assertThat(collections().resolveAlias("nothing")).isEmpty();
  }

  @Test
  void writesThroughAnAliasLandInItsCollection() {
    collections().create(MINILM);
    collections().pointAlias("live", "minilm-v1");
    try (VectorIndex index = open("live")) {
      index.upsert(List.of(point("p1").build()));
      index.commit();
    }
    try (VectorIndex index = open("minilm-v1")) {
      assertThat(index.count()).isEqualTo(1);
    }
  }

  @Test
  void anAliasNeedsAnExistingCollection() {
    assertThatThrownBy(() -> collections().pointAlias("live", "missing")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCollectionAnAliasPointsAtCannotBeDropped() {
    collections().create(MINILM);
    collections().create(BGE);
    collections().pointAlias("live", "minilm-v1");

    assertThatThrownBy(() -> collections().drop("minilm-v1")).isInstanceOf(IllegalStateException.class);
    collections().drop("bge-v1");
    collections().drop("bge-v1");
    assertThat(collections().list()).doesNotContain("bge-v1").contains("minilm-v1");
    assertThat(collections().describe("bge-v1")).isEmpty();
  }
}
