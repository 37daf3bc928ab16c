package dev.sluice.embed;

import static dev.sluice.embed.EmbedDriver.chunk;
import static dev.sluice.embed.EmbedDriver.chunkId;
import static dev.sluice.embed.EmbedDriver.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.VectorTopicRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embed topology with the real model: batching, order and dead letters. */
class EmbedTopologyTest {
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

  private EmbedDriver driver(Map<String, String> settings) {
    return new EmbedDriver(temp, model, settings);
  }

  @Test
  void chunksAreEmbeddedInOneCallAndTheManifestFollowsThemInOrder() {
    try (EmbedDriver driver = driver(Map.of())) {
      driver.pipe(chunk("c1", "Kafka Streams processes records in order."),
          chunk("c2", "Lucene builds an HNSW graph of vectors."));
      DocumentManifest manifest = manifest("c1", "c2");
      driver.pipe(manifest);

      List<VectorTopicRecord> out = driver.vectors();
      assertThat(out).hasSize(3);
      EmbeddedChunk first = (EmbeddedChunk) out.get(0).getBody();
      assertThat(first.getChunk().getChunkId()).isEqualTo("c1");
      assertThat(first.getModelId()).isEqualTo(model.modelId()).startsWith("all-minilm-l6-v2@");
      assertThat(first.getVector()).hasSize(384);
      double norm = Math.sqrt(first.getVector().stream().mapToDouble(f -> f * f).sum());
      assertThat(norm).isCloseTo(1.0, Offset.offset(1e-3));
      assertThat(chunkId(out.get(1))).isEqualTo("c2");
      assertThat(out.get(2).getBody()).isEqualTo(manifest);
      assertThat(driver.chunksCounted("embedded")).isEqualTo(2.0);
      assertThat(driver.modelCalls()).isEqualTo(1);
    }
  }

  @Test
  void aBatchWaitsAtMostTheMaxWaitThenGoesInOneCall() {
    try (EmbedDriver driver = driver(Map.of(EmbedConfig.BATCH_MAX_WAIT_MS, "50"))) {
      driver.pipe(chunk("c1", "first live update"), chunk("c2", "second live update"), chunk("c3", "third live update"));
      driver.advanceWallClock(Duration.ofMillis(40));
      assertThat(driver.vectors()).isEmpty();

      driver.advanceWallClock(Duration.ofMillis(10));

      assertThat(driver.vectors()).extracting(EmbedDriver::chunkId).containsExactly("c1", "c2", "c3");
      assertThat(driver.modelCalls()).isEqualTo(1);
    }
  }

  @Test
  void aFullBatchGoesWithoutWaiting() {
    try (EmbedDriver driver = driver(Map.of(EmbedConfig.BATCH_MAX_SIZE, "2", EmbedConfig.BATCH_MAX_WAIT_MS, "60000"))) {
      driver.pipe(chunk("c1", "one"), chunk("c2", "two"), chunk("c3", "three"));

      assertThat(driver.vectors()).extracting(EmbedDriver::chunkId).containsExactly("c1", "c2");
      assertThat(driver.modelCalls()).isEqualTo(1);
    }
  }

  @Test
  void zeroMaxWaitEmbedsEachChunkOnArrival() {
    try (EmbedDriver driver = driver(Map.of(EmbedConfig.BATCH_MAX_WAIT_MS, "0"))) {
      driver.pipe(chunk("c1", "one"));

      assertThat(driver.vectors()).extracting(EmbedDriver::chunkId).containsExactly("c1");
    }
  }

  @Test
  void badChunksGoToDeadLettersWithTheirReasonAndTheRestFlows() {
    try (EmbedDriver driver = driver(Map.of(EmbedConfig.CHUNK_MAX_CHARS, "100"))) {
      driver.pipeRaw("garbage".getBytes(StandardCharsets.UTF_8));
      driver.pipe(chunk("c3", "   "), chunk("c4", "x".repeat(101)), chunk("c5", "Still embedded after three bad records."));
      driver.pipe(manifest("c3", "c4", "c5"));

      assertThat(driver.deadLetters()).extracting(DeadLetter::getStage, DeadLetter::getReason, DeadLetter::getOffset)
          .containsExactly(tuple("embed", "malformed-record", 0L), tuple("embed", "empty-chunk", 1L),
              tuple("embed", "oversize-chunk", 2L));
      assertThat(driver.vectors()).hasSize(2);
      assertThat(driver.chunksCounted("failed")).isEqualTo(3.0);
    }
  }

  @Test
  void aChunkTheModelFailsOnGoesAloneToDeadLettersWithItsOrigin() {
    try (EmbedDriver driver = new EmbedDriver(temp, InterceptedModel.poisoned(model), Map.of())) {
      driver.pipe(chunk("ok1", "A healthy paragraph."), chunk("bad", "A paragraph " + InterceptedModel.POISON),
          chunk("ok2", "Another healthy paragraph."));
      driver.pipe(manifest("ok1", "bad", "ok2"));

      assertThat(driver.vectors()).extracting(r -> r.getBody() instanceof EmbeddedChunk ? chunkId(r) : "manifest")
          .containsExactly("ok1", "ok2", "manifest");
      List<DeadLetter> letters = driver.deadLetters();
      assertThat(letters).extracting(DeadLetter::getReason, DeadLetter::getOffset, DeadLetter::getTopic)
          .containsExactly(tuple("embedding-failed", 1L, "chunks"));
      assertThat(letters.get(0).getMessage()).contains("failed on a batch of 1 texts");
      assertThat(driver.chunksCounted("embedded")).isEqualTo(2.0);
    }
  }

  @Test
  void operatorAndStoreNamesAreStable() {
    TopologyDescription description =
        EmbedTopology.build(EmbedConfig.from(Map.of()), model, new SimpleMeterRegistry()).describe();
    assertThat(description.toString()).contains("Source: chunks-source (topics: [chunks])")
        .contains("Processor: embed-chunk").contains("Sink: vectors-sink (topic: vectors)")
        .contains("Sink: dlq-sink (topic: dlq)");
    TopologyDescription.Processor processor = description.subtopologies().stream()
        .flatMap(s -> s.nodes().stream()).filter(TopologyDescription.Processor.class::isInstance)
        .map(TopologyDescription.Processor.class::cast).findFirst().orElseThrow();
    assertThat(processor.name()).isEqualTo("embed-chunk");
    assertThat(processor.stores()).containsExactlyInAnyOrder("embed-pending", "embed-cache", "embed-cache-order");
  }
}
