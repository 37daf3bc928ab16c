package dev.sluice.index.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sluice.index.IndexUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one Qdrant call and classifies its failure the way callers act on it: a server that is
 * down, overloaded or slow is {@link IndexUnavailableException} (retry later); a request Qdrant
 * refuses is {@link IllegalArgumentException} (retrying cannot help); a missing collection is
 * {@link CollectionNotFoundException}.
 */
final class QdrantCalls {

  /** The collection (or alias) does not exist. */
  static final class CollectionNotFoundException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CollectionNotFoundException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Duration timeout;

  QdrantCalls(Duration timeout) {
    this.timeout = timeout;
  }

  <T> T await(ListenableFuture<T> call, String what) {
    try {
      return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new IndexUnavailableException("Qdrant did not answer " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IndexUnavailableException("interrupted while waiting for Qdrant to " + what, e);
    } catch (ExecutionException e) {
      throw classify(e.getCause(), what);
    }
  }

  static RuntimeException classify(Throwable failure, String what) {
    Status status = failure instanceof StatusRuntimeException grpc ? grpc.getStatus() : Status.fromThrowable(failure);
    String message = "Qdrant failed to " + what + ": " + status.getCode() + " " + status.getDescription();
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, CANCELLED, INTERNAL, UNKNOWN ->
          new IndexUnavailableException(message, failure);
      case NOT_FOUND -> new CollectionNotFoundException(message, failure);
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS -> new IllegalArgumentException(message, failure);
      default -> new IllegalStateException(message, failure);
    };
  }
}
