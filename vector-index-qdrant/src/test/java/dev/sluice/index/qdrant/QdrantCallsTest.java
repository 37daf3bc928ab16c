package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.IndexUnavailableException;
import io.grpc.Status;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class QdrantCallsTest {

  @Test
  void aServerThatIsDownOrSlowIsTransient() {
    assertThat(QdrantCalls.classify(Status.UNAVAILABLE.asRuntimeException(), "upsert"))
        .isInstanceOf(IndexUnavailableException.class).hasMessageContaining("upsert");
    assertThat(QdrantCalls.classify(Status.DEADLINE_EXCEEDED.asRuntimeException(), "search")).isInstanceOf(IndexUnavailableException.class);
    assertThat(QdrantCalls.classify(Status.RESOURCE_EXHAUSTED.asRuntimeException(), "upsert")).isInstanceOf(IndexUnavailableException.class);
    assertThat(QdrantCalls.classify(new ConnectException("refused"), "upsert")).isInstanceOf(IndexUnavailableException.class);
  }

  @Test
  void aRefusedRequestIsPermanentAndAMissingCollectionIsNamed() {
    assertThat(QdrantCalls.classify(Status.INVALID_ARGUMENT.withDescription("bad vector").asRuntimeException(), "upsert"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad vector");
    assertThat(QdrantCalls.classify(Status.NOT_FOUND.asRuntimeException(), "search"))
        .isInstanceOf(QdrantCalls.CollectionNotFoundException.class);
  }
}
