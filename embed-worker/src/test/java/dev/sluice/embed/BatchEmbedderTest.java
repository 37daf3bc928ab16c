package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.embed.BatchEmbedder.Outcome;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Whom {@link BatchEmbedder} blames when the model fails: a text, or the engine. No model needed. */
class BatchEmbedderTest {

  /** Embeds each text as a one-component vector of its length, unless {@code failure} says otherwise. */
  private static final class FakeEmbedder implements Embedder {
    private final Function<List<String>, RuntimeException> failure;
    final List<List<String>> calls = new ArrayList<>();

    FakeEmbedder(Function<List<String>, RuntimeException> failure) {
      this.failure = failure;
    }

    @Override
    public String modelId() {
      return "fake@1";
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      calls.add(List.copyOf(texts));
      RuntimeException e = failure.apply(texts);
      if (e != null) {
        throw e;
      }
      return texts.stream().map(t -> new float[] {t.length()}).toList();
    }

    @Override
    public float[] embedQuery(String query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private static RuntimeException rejectingAny(List<String> texts, String marker) {
    return texts.stream().anyMatch(t -> t.contains(marker))
        ? new InputRejectedException("could not tokenize a batch of " + texts.size() + " texts", new IllegalArgumentException())
        : null;
  }

  private static RuntimeException engineFailingOnAny(List<String> texts, String marker) {
    return texts.stream().anyMatch(t -> t.contains(marker))
        ? new EngineFailureException("ONNX Runtime failed on a batch of " + texts.size() + " texts", new IllegalStateException())
        : null;
  }

  @Test
  void aBatchTheModelTakesIsEmbeddedInOneCall() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> null);

    List<Outcome> outcomes = new BatchEmbedder(embedder).embed(List.of("a", "bb", "ccc"));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Embedded.class));
    assertThat(outcomes).extracting(o -> ((Outcome.Embedded) o).vector()[0]).containsExactly(1f, 2f, 3f);
    assertThat(embedder.calls).hasSize(1);
  }

  @Test
  void aTextRejectedAsInputFailsAloneAndTheOthersAreEmbedded() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> rejectingAny(texts, "bad"));

    List<Outcome> outcomes = new BatchEmbedder(embedder).embed(List.of("ok", "bad", "fine"));

    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Embedded.class);
    assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.rejected()).isTrue());
    assertThat(outcomes.get(2)).isInstanceOf(Outcome.Embedded.class);
    assertThat(embedder.calls).containsExactly(List.of("ok", "bad", "fine"), List.of("ok"), List.of("bad"), List.of("fine"));
  }

  @Test
  void aTextTheEngineFailsOnAloneWhileOthersAreEmbeddedIsTheTextsFault() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> engineFailingOnAny(texts, "crash"));

    List<Outcome> outcomes = new BatchEmbedder(embedder).embed(List.of("ok", "crash"));

    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Embedded.class);
    assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
      assertThat(f.rejected()).isFalse();
      assertThat(f.error()).isInstanceOf(EngineFailureException.class).hasMessageContaining("batch of 1 texts");
    });
  }

  @Test
  void whenEveryTextFailsTogetherAndAloneTheEngineIsToBlameAndNoTextIsReported() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> engineFailingOnAny(texts, ""));

    assertThatThrownBy(() -> new BatchEmbedder(embedder).embed(List.of("one", "two", "three")))
        .isInstanceOf(EngineFailureException.class)
        .hasMessageContaining("fake@1 failed on all 3 texts of a batch")
        .hasCauseInstanceOf(EngineFailureException.class);
    assertThat(embedder.calls).hasSize(4);
  }

  @Test
  void anythingElseAnEmbedderThrowsOnEveryTextIsTheEnginesFaultToo() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> new IllegalStateException("Embedder for fake@1 is closed"));

    assertThatThrownBy(() -> new BatchEmbedder(embedder).embed(List.of("one", "two")))
        .isInstanceOf(EngineFailureException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void textsThatAreEachRejectedAsInputAreEachTheirOwnFaultEvenWhenNoneIsEmbedded() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> rejectingAny(texts, ""));

    List<Outcome> outcomes = new BatchEmbedder(embedder).embed(List.of("one", "two"));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Outcome.Failed.class,
        f -> assertThat(f.rejected()).isTrue()));
  }

  @Test
  void aSingleTextIsBlamedOnlyWhenRejectedAsInput() {
    FakeEmbedder rejecting = new FakeEmbedder(texts -> rejectingAny(texts, "bad"));
    assertThat(new BatchEmbedder(rejecting).embed(List.of("bad"))).singleElement()
        .isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.rejected()).isTrue());
    assertThat(rejecting.calls).hasSize(1);

    FakeEmbedder failing = new FakeEmbedder(texts -> engineFailingOnAny(texts, "crash"));
    assertThatThrownBy(() -> new BatchEmbedder(failing).embed(List.of("crash")))
        .isInstanceOf(EngineFailureException.class)
        .hasMessageContaining("batch of one text");
    assertThat(failing.calls).hasSize(1);
  }

  @Test
  void anUntypedModelFailureOnOneTextIsStillReportedAsThatTextsFailure() {
    FakeEmbedder embedder = new FakeEmbedder(
        texts -> texts.contains("odd") ? new EmbeddingException("Model fake@1 failed") : null);

    List<Outcome> outcomes = new BatchEmbedder(embedder).embed(List.of("odd", "even"));

    assertThat(outcomes.get(0)).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.rejected()).isFalse());
    assertThat(outcomes.get(1)).isInstanceOf(Outcome.Embedded.class);
  }

  @Test
  void anErrorIsNotCaught() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> {
      throw new OutOfMemoryError("Java heap space");
    });

    assertThatThrownBy(() -> new BatchEmbedder(embedder).embed(List.of("one", "two"))).isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  void noTextsNoCall() {
    FakeEmbedder embedder = new FakeEmbedder(texts -> null);

    assertThat(new BatchEmbedder(embedder).embed(List.of())).isEmpty();
    assertThat(embedder.calls).isEmpty();
  }
}
