package dev.sluice.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an HTTP response body, cancelling the download as soon as it exceeds the cap, so that a
 * server cannot make the service buffer more than the cap whatever it declares. Completes with {@link
 * TooLarge} then.
 */
final class CappedBodySubscriber implements BodySubscriber<byte[]> {
  private final long cap;
  private final boolean refuse;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  /**
   * @param cap most bytes accepted
   * @param refuse the declared length already exceeds the cap: read nothing
   */
  CappedBodySubscriber(long cap, boolean refuse) {
    this.cap = cap;
    this.refuse = refuse;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (refuse) {
      s.cancel();
      result.completeExceptionally(new TooLarge());
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (body.size() + (long) buffer.remaining() > cap) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      body.writeBytes(bytes);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(body.toByteArray());
  }

  /** The body exceeded the cap. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body larger than the cap");
    }
  }
}
