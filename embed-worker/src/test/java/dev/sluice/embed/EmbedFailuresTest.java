package dev.sluice.embed;

import static dev.sluice.embed.EmbedDriver.KEY;
import static dev.sluice.embed.EmbedDriver.chunk;
import static dev.sluice.embed.EmbedDriver.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.runtime.failure.FailureKind;
import dev.sluice.runtime.failure.FailurePolicy;
import dev.sluice.runtime.failure.StreamThreadFailures;
import dev.sluice.schemas.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embed stage does when a chunk or the model fails, with the real model behind a hook that
 * fails calls on demand: bad chunks are dead-lettered naming their document version, a chunk the
 * model rejects goes alone, and a failing model runtime is retried by the failure policy, never
 * taken out on the chunks, until a record runs out of attempts.
 *
 * <p>A failed task is modelled as streams-runtime's own tests do: the driver rethrows what the
 * policy chose to fail on, and a new driver given the same policy is the replaced stream thread of
 * the same client, whose task replays the records from the same offsets and whose attempt counts
 * carry over.
 */
class EmbedFailuresTest {
  private static final long VERSION = 7;
  private static EmbeddingModel model;

  @TempDir Path temp;
  private final List<DeadLetter> policyLetters = new CopyOnWriteArrayList<>();
  private final AtomicBoolean engineDown = new AtomicBoolean(true);

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static Chunk versioned(String id, String text) {
    return Chunk.newBuilder(chunk(id, text)).setDocVersion(VERSION).build();
  }

  private static String body(VectorTopicRecord record) {
    return record.getBody() instanceof EmbeddedChunk embedded ? embedded.getChunk().getChunkId() : "manifest";
  }

  // Two chunks make a batch, so the second chunk's record is the one whose processing embeds it;
  // replaced threads start at once.
  private EmbedConfig retrying(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put(EmbedConfig.BATCH_MAX_SIZE, "2");
    settings.put(EmbedConfig.BATCH_MAX_WAIT_MS, "60000");
    settings.put(StreamsSettings.THREAD_BACKOFF, "0");
    return EmbedDriver.config(temp, settings);
  }

  @Test
  void everyDeadLetterOfTheStageNamesTheDocumentAndItsVersion() {
    try (EmbedDriver driver = new EmbedDriver(temp, InterceptedModel.poisoned(model), Map.of(EmbedConfig.CHUNK_MAX_CHARS, "100"))) {
      driver.pipeRaw("garbage".getBytes(StandardCharsets.UTF_8));
      driver.pipe(versioned("empty", " "), versioned("long", "x".repeat(101)),
          versioned("poisoned", "A paragraph " + InterceptedModel.POISON), versioned("ok", "A healthy paragraph."));
      driver.pipe(manifest("empty", "long", "poisoned", "ok"));

      assertThat(driver.deadLetters())
          .extracting(DeadLetter::getReason, DeadLetter::getTenant, DeadLetter::getDocId, DeadLetter::getDocVersion)
          .containsExactly(
              // Nothing of the record could be read but its key.
              tuple(ReasonCode.MALFORMED_RECORD.code(), "acme", "doc.txt", null),
              tuple(ReasonCode.EMPTY_CHUNK.code(), "acme", "doc.txt", VERSION),
              tuple(ReasonCode.OVERSIZE_CHUNK.code(), "acme", "doc.txt", VERSION),
              tuple(ReasonCode.EMBEDDING_FAILED.code(), "acme", "doc.txt", VERSION));
      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("ok", "manifest");
    }
  }

  @Test
  void aChunkTheModelRejectsAsInputIsDeadLetteredAndTheRestOfItsBatchIsEmbedded() {
    try (EmbedDriver driver = new EmbedDriver(temp, InterceptedModel.rejecting(model), Map.of())) {
      driver.pipe(versioned("ok1", "A healthy paragraph."), versioned("bad", "A paragraph " + InterceptedModel.POISON),
          versioned("ok2", "Another healthy paragraph."));
      driver.pipe(manifest("ok1", "bad", "ok2"));

      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("ok1", "ok2", "manifest");
      assertThat(driver.deadLetters()).singleElement().satisfies(letter -> {
        assertThat(letter.getStage()).isEqualTo("embed");
        assertThat(letter.getReason()).isEqualTo(ReasonCode.EMBEDDING_FAILED.code());
        assertThat(letter.getMessage()).contains("rejected this chunk's text as input").contains("batch of 1 texts");
        assertThat(letter.getExceptionClass()).isEqualTo(InputRejectedException.class.getName());
        assertThat(letter.getOffset()).isEqualTo(1L);
        assertThat(letter.getDocVersion()).isEqualTo(VERSION);
      });
      assertThat(driver.chunksCounted("embedded")).isEqualTo(2.0);
      assertThat(driver.engineFailures()).isZero();
      assertThat(driver.policyLetters).isEmpty();
    }
  }

  @Test
  void aChunkRejectedAsInputIsDeadLetteredEvenInABatchOfItsOwn() {
    try (EmbedDriver driver = new EmbedDriver(temp, InterceptedModel.rejecting(model), Map.of(EmbedConfig.BATCH_MAX_WAIT_MS, "0"))) {
      driver.pipe(versioned("bad", InterceptedModel.POISON), versioned("ok", "A healthy paragraph."));

      assertThat(driver.deadLetters()).extracting(DeadLetter::getReason, DeadLetter::getOffset)
          .containsExactly(tuple(ReasonCode.EMBEDDING_FAILED.code(), 0L));
      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("ok");
    }
  }

  @Test
  void aFailingModelRuntimeIsRetriedWithoutDeadLettersAndTheChunksAreEmbeddedOnceItRecovers() {
    EmbeddingModel flaky = InterceptedModel.engineDownWhile(model, engineDown::get);
    EmbedConfig config = retrying(Map.of());
    FailurePolicy policy = config.streams().failurePolicy(policyLetters::add);
    StreamThreadFailures threads = new StreamThreadFailures("embed-worker", config.streams().failures(), policy.classifier());

    for (int attempt = 1; attempt <= 2; attempt++) {
      try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
        driver.pipe(versioned("c1", "First paragraph."));
        assertThatThrownBy(() -> driver.pipe(versioned("c2", "Second paragraph.")))
            .isInstanceOf(StreamsException.class)
            .satisfies(thrown -> {
              assertThat(policy.classifier().classify(thrown)).isEqualTo(FailureKind.INFRASTRUCTURE);
              assertThat(policy.classifier().decisive(thrown)).isInstanceOf(EngineFailureException.class)
                  .hasMessageContaining("failed on all 2 texts of a batch");
              assertThat(threads.onUncaught(thrown)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            });
        assertThat(driver.deadLetters()).as("attempt %d", attempt).isEmpty();
        assertThat(driver.vectors()).isEmpty();
        assertThat(driver.engineFailures()).isEqualTo(1.0);
      }
    }
    engineDown.set(false);
    try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
      driver.pipe(versioned("c1", "First paragraph."), versioned("c2", "Second paragraph."));
      driver.pipe(manifest("c1", "c2"));

      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("c1", "c2", "manifest");
      assertThat(driver.deadLetters()).isEmpty();
    }
    assertThat(policyLetters).isEmpty();
  }

  @Test
  void aRecordTheRuntimeKeepsFailingOnIsDeadLetteredAsRetriesExhaustedAndNeverEmbedded() {
    EmbeddingModel flaky = InterceptedModel.engineDownWhile(model, engineDown::get);
    EmbedConfig config = retrying(Map.of(StreamsSettings.MAX_RECORD_ATTEMPTS, "3"));
    FailurePolicy policy = config.streams().failurePolicy(policyLetters::add);

    for (int attempt = 1; attempt < 3; attempt++) {
      try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
        driver.pipe(versioned("c1", "First paragraph."));
        assertThatThrownBy(() -> driver.pipe(versioned("c2", "Second paragraph."))).isInstanceOf(StreamsException.class);
      }
      assertThat(policyLetters).as("dead letters after %d failures", attempt).isEmpty();
    }
    try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
      driver.pipe(versioned("c1", "First paragraph."), versioned("c2", "Second paragraph."));

      assertThat(policyLetters).singleElement().satisfies(letter -> {
        assertThat(letter.getStage()).isEqualTo("embed");
        assertThat(letter.getReason()).isEqualTo(ReasonCode.RETRIES_EXHAUSTED.code());
        assertThat(letter.getAttempts()).isEqualTo(3);
        assertThat(letter.getOffset()).isEqualTo(1L);
        assertThat(letter.getExceptionClass()).isEqualTo(EngineFailureException.class.getName());
        assertThat(letter.getKey()).isEqualTo(KEY);
        assertThat(letter.getTenant()).isEqualTo("acme");
        assertThat(letter.getDocId()).isEqualTo("doc.txt");
      });

      // The skipped chunk's record left nothing pending: once the runtime is back, its batch
      // holds only the chunk before it.
      engineDown.set(false);
      driver.pipe(manifest("c1", "c2"));

      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("c1", "manifest");
      assertThat(driver.deadLetters()).isEmpty();
    }
  }

  @Test
  void aFailingModelRuntimeInAScheduledFlushFailsTheTaskAndDeadLettersNothing() {
    EmbeddingModel flaky = InterceptedModel.engineDownWhile(model, engineDown::get);
    EmbedConfig config = EmbedDriver.config(temp, Map.of(EmbedConfig.BATCH_MAX_WAIT_MS, "50"));
    FailurePolicy policy = config.streams().failurePolicy(policyLetters::add);

    try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
      driver.pipe(versioned("c1", "A live update."));
      assertThatThrownBy(() -> driver.advanceWallClock(Duration.ofMillis(50)))
          .isInstanceOf(StreamsException.class)
          .satisfies(thrown -> assertThat(policy.classifier().classify(thrown)).isEqualTo(FailureKind.INFRASTRUCTURE));
      assertThat(driver.deadLetters()).isEmpty();
    }
    engineDown.set(false);
    try (EmbedDriver driver = new EmbedDriver(config, flaky, policy)) {
      driver.pipe(versioned("c1", "A live update."));
      driver.advanceWallClock(Duration.ofMillis(50));

      assertThat(driver.vectors()).extracting(EmbedFailuresTest::body).containsExactly("c1");
    }
    assertThat(policyLetters).isEmpty();
  }
}
