package dev.sluice.embed;

import static dev.sluice.embed.EmbedDriver.chunk;
import static dev.sluice.embed.EmbedDriver.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.VectorTopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding cache through the topology, with the real model; its counters prove the calls. */
class EmbeddingCacheTest {
  private static EmbeddingModel model;

  @TempDir Path temp;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void replayingTheChunksTopicRunsTheModelZeroTimes() {
    Chunk[] chunks = IntStream.range(0, 40)
        .mapToObj(i -> chunk("c" + i, "Paragraph " + i + " of a handbook about harbours and lanterns."))
        .toArray(Chunk[]::new);
    try (EmbedDriver driver = new EmbedDriver(temp, model, Map.of())) {
      driver.pipe(chunks);
      driver.pipe(manifest("c0"));
      List<VectorTopicRecord> first = driver.vectors();
      assertThat(driver.chunksCounted("embedded")).isEqualTo(40.0);
      long callsBefore = driver.modelCalls();

      driver.pipe(chunks);
      driver.pipe(manifest("c0"));
      List<VectorTopicRecord> replay = driver.vectors();

      assertThat(driver.modelCalls()).isEqualTo(callsBefore);
      assertThat(driver.chunksCounted("embedded")).isEqualTo(40.0);
      assertThat(driver.chunksCounted("cached")).isEqualTo(40.0);
      assertThat(replay).isEqualTo(first);
    }
  }

  @Test
  void aCachedChunkWaitsBehindAPendingOneAndKeepsItsPlace() {
    try (EmbedDriver driver = new EmbedDriver(temp, model, Map.of())) {
      driver.pipe(chunk("a", "An unchanged paragraph."));
      driver.pipe(manifest("a"));
      driver.vectors();

      driver.pipe(chunk("b", "A new paragraph."), chunk("a", "An unchanged paragraph."));
      assertThat(driver.vectors()).isEmpty();
      driver.advanceWallClock(Duration.ofMillis(5));

      assertThat(driver.vectors()).extracting(EmbedDriver::chunkId).containsExactly("b", "a");
      assertThat(driver.chunksCounted("embedded")).isEqualTo(2.0);
      assertThat(driver.chunksCounted("cached")).isEqualTo(1.0);
    }
  }

  @Test
  void aTextRepeatedInOneBatchIsEmbeddedOnce() {
    try (EmbedDriver driver = new EmbedDriver(temp, model, Map.of())) {
      driver.pipe(chunk("c1", "Boilerplate footer."), chunk("c2", "Body text."), chunk("c3", "Boilerplate footer."));
      driver.pipe(manifest("c1", "c2", "c3"));

      List<VectorTopicRecord> out = driver.vectors();
      assertThat(EmbedDriver.vector(out.get(2))).isEqualTo(EmbedDriver.vector(out.get(0)));
      assertThat(driver.chunksCounted("embedded")).isEqualTo(2.0);
      assertThat(driver.chunksCounted("cached")).isEqualTo(1.0);
      assertThat(driver.meters.summary("sluice.embed.batch.size").totalAmount()).isEqualTo(2.0);
    }
  }

  @Test
  void beyondMaxEntriesTheOldestInsertedIsEvictedFirst() {
    try (EmbedDriver driver = new EmbedDriver(temp, model, Map.of(EmbedConfig.CACHE_MAX_ENTRIES, "2", EmbedConfig.BATCH_MAX_WAIT_MS, "0"))) {
      driver.pipe(chunk("a", "alpha"), chunk("b", "bravo"), chunk("c", "charlie"));
      assertThat(driver.chunksCounted("embedded")).isEqualTo(3.0);

      driver.pipe(chunk("c", "charlie"), chunk("b", "bravo"));
      assertThat(driver.chunksCounted("cached")).isEqualTo(2.0);

      driver.pipe(chunk("a", "alpha"));
      assertThat(driver.chunksCounted("embedded")).isEqualTo(4.0);
      assertThat(driver.vectors()).hasSize(6);
    }
  }
}
