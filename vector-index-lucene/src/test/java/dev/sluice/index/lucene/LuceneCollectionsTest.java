package dev.sluice.index.lucene;

import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.VectorCollections;
import dev.sluice.index.VectorCollectionsContract;
import dev.sluice.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneCollectionsTest extends VectorCollectionsContract {

  @TempDir Path root;

  @Override
  protected VectorCollections collections() {
    return new LuceneCollections(root);
  }

  @Override
  protected VectorIndex open(String nameOrAlias) {
    String collection = collections().resolveAlias(nameOrAlias).orElse(nameOrAlias);
    return LuceneVectorIndex.openWritable(IndexLayout.collection(root, collection));
  }

  @Test
  void theDefaultPointsDirectoryIsUsedUntilAnAliasNamesAnother() {
    assertThat(IndexLayout.points(root)).isEqualTo(root.resolve("points"));
    collections().create(MINILM);

    collections().pointAlias(IndexLayout.POINTS_ALIAS, "minilm-v1");

    assertThat(IndexLayout.points(root)).isEqualTo(root.resolve("minilm-v1"));
    assertThat(IndexLayout.documents(root)).isEqualTo(root.resolve("documents"));
  }

  @Test
  void theAliasFileIsReplacedWholeWithNoTemporaryLeftBehind() throws IOException {
    collections().create(MINILM);
    collections().create(BGE);
    collections().pointAlias("live", "minilm-v1");
    collections().pointAlias("previous", "bge-v1");
    collections().pointAlias("live", "bge-v1");

    try (Stream<Path> files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains(AliasFile.NAME).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(new AliasFile(root).read()).containsEntry("live", "bge-v1").containsEntry("previous", "bge-v1");
  }

  @Test
  void anImplicitlyCreatedIndexGetsItsIdentityFromItsFirstCommit() {
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(root.resolve("points"))) {
      assertThat(collections().describe("points")).isEmpty();
      index.upsert(List.of(point("p1").build()));
      index.commit();
    }
    assertThat(collections().describe("points")).hasValueSatisfying(spec -> {
      assertThat(spec.modelId()).isEqualTo(dev.sluice.index.TestPoints.MODEL);
      assertThat(spec.dimension()).isEqualTo(dev.sluice.index.TestPoints.DIMENSION);
    });
  }

  @Test
  void theRegistryDirectoryIsNotACollection() {
    LuceneDocumentRegistry.openWritable(IndexLayout.documents(root)).close();
    collections().create(MINILM);

    assertThat(collections().list()).containsExactly("minilm-v1");
  }
}
