package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.FatalServiceException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.List;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  /** Stands for an exception of a module streams-runtime does not know, such as the index's. */
  static class ExternalUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExternalUnavailable(String message) {
      super(message);
    }
  }

  static final class ExternalTimeout extends ExternalUnavailable {
    private static final long serialVersionUID = 1L;

    ExternalTimeout(String message) {
      super(message);
    }
  }

  private static StreamsException wrapped(Throwable cause) {
    return new StreamsException("Exception caught in process. taskId=0_0", new StreamsException("node failed", cause));
  }

  @Test
  void anythingUnknownIsABadRecord() {
    FailureClassifier classifier = FailureClassifier.standard();

    assertThat(classifier.classify(new IllegalArgumentException("no vector"))).isEqualTo(FailureKind.BAD_RECORD);
    assertThat(classifier.classify(wrapped(new NullPointerException()))).isEqualTo(FailureKind.BAD_RECORD);
  }

  @Test
  void retriableKafkaErrorsMarkedFailuresAndTimeoutsAreInfrastructureWhereverTheyAreInTheChain() {
    FailureClassifier classifier = FailureClassifier.standard();

    assertThat(classifier.classify(wrapped(new NotEnoughReplicasException("isr")))).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(wrapped(new DeadLetterUnavailableException("dlq", null)))).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(new UncheckedIOException(new ConnectException("refused")))).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(new IllegalStateException("wait", new java.util.concurrent.TimeoutException())))
        .isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(new IllegalStateException("interrupted while waiting for the index", new InterruptedException())))
        .as("an interrupted wait says nothing of the record").isEqualTo(FailureKind.INFRASTRUCTURE);
  }

  @Test
  void configuredClassNamesMatchTheClassAndItsSubclasses() {
    FailureClassifier classifier = FailureClassifier.withInfrastructure(List.of(ExternalUnavailable.class.getName()));

    assertThat(classifier.classify(wrapped(new ExternalUnavailable("index down")))).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(wrapped(new ExternalTimeout("index slow")))).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(FailureClassifier.standard().classify(new ExternalUnavailable("index down"))).isEqualTo(FailureKind.BAD_RECORD);
  }

  @Test
  void fatalWinsOverEverythingElseInTheChain() {
    FailureClassifier classifier = FailureClassifier.standard();
    FatalServiceException fatal = new FatalServiceException("model 'm' cannot load", new ConnectException("refused"));

    assertThat(classifier.classify(wrapped(fatal))).isEqualTo(FailureKind.FATAL);
    assertThat(classifier.decisive(wrapped(fatal))).isSameAs(fatal);
    assertThat(classifier.classify(wrapped(new OutOfMemoryError()))).isEqualTo(FailureKind.FATAL);
    assertThat(classifier.classify(new DeadLetterUnavailableException("dlq", new TopicAuthorizationException("dlq"))))
        .as("a dead-letter topic we may not write to will not heal").isEqualTo(FailureKind.FATAL);
  }

  @Test
  void decisiveExceptionIsTheOneThatSetTheKind() {
    FailureClassifier classifier = FailureClassifier.standard();
    DeadLetterUnavailableException down = new DeadLetterUnavailableException("dlq down", new IllegalStateException("closed"));
    IllegalArgumentException bad = new IllegalArgumentException("no vector");

    assertThat(classifier.decisive(wrapped(down))).isSameAs(down);
    assertThat(classifier.decisive(wrapped(bad))).isSameAs(bad);
  }

  @Test
  void describesAnExceptionWithItsRootCause() {
    assertThat(FailureClassifier.describe(new IllegalStateException("outer", new ConnectException("refused"))))
        .isEqualTo("IllegalStateException: outer (caused by ConnectException: refused)");
    assertThat(FailureClassifier.describe(new IllegalArgumentException("bad"))).isEqualTo("IllegalArgumentException: bad");
  }

  @Test
  void survivesACyclicCauseChain() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);

    assertThat(FailureClassifier.standard().classify(a)).isEqualTo(FailureKind.BAD_RECORD);
  }
}
