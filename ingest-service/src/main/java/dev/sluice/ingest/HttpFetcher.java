package dev.sluice.ingest;

import dev.sluice.ingest.ContentResolver.ContentRefusedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches {@code http(s):} content references from allow-listed hosts only, within a size cap and one
 * overall timeout. Redirects are followed by hand (at most {@value #MAX_REDIRECTS}) so that each
 * target is checked against the allow-list: a listed host cannot bounce the service to an internal
 * one. Connection failures, 429 and 5xx are retried briefly within the timeout. Thread-safe.
 */
final class HttpFetcher implements AutoCloseable {
  private static final int MAX_REDIRECTS = 3;
  private static final int MAX_ATTEMPTS = 3;

  private final ReferencePolicy policy;
  private final long maxBytes;
  private volatile HttpClient client;

  HttpFetcher(ReferencePolicy policy, long maxBytes) {
    this.policy = policy;
    this.maxBytes = maxBytes;
  }

  byte[] fetch(URI uri) throws ContentRefusedException {
    long deadline = System.nanoTime() + policy.httpTimeout().toNanos();
    URI target = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkAllowed(target);
      HttpResponse<byte[]> response = sendWithRetries(target, deadline);
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return response.body();
      }
      if (status >= 300 && status < 400 && response.headers().firstValue("location").isPresent()) {
        target = target.resolve(response.headers().firstValue("location").get());
        continue;
      }
      if (status == 404 || status == 410) {
        throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_FOUND, target + " answered HTTP " + status);
      }
      throw new ContentRefusedException(IngestReasons.CONTENT_UNREADABLE, target + " answered HTTP " + status);
    }
    throw new ContentRefusedException(IngestReasons.CONTENT_UNREADABLE, uri + " redirects more than " + MAX_REDIRECTS + " times");
  }

  private void checkAllowed(URI uri) throws ContentRefusedException {
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED, "redirect to a " + scheme + ": URI is not allowed");
    }
    if (!policy.httpEnabled()) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED,
          "http(s) references are disabled; list the hosts allowed in " + IngestConfig.HTTP_ALLOWED_HOSTS);
    }
    if (uri.getHost() == null || !policy.hostAllowed(uri.getHost())) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED,
          "host '" + uri.getHost() + "' is not in " + IngestConfig.HTTP_ALLOWED_HOSTS + " " + policy.httpAllowedHosts());
    }
  }

  private HttpResponse<byte[]> sendWithRetries(URI uri, long deadline) throws ContentRefusedException {
    for (int attempt = 1; ; attempt++) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw timedOut(uri);
      }
      HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(remaining))
          .header("User-Agent", "sluice-ingest").build();
      CompletableFuture<HttpResponse<byte[]>> future = client().sendAsync(request, this::capped);
      try {
        HttpResponse<byte[]> response = future.get(remaining, TimeUnit.NANOSECONDS);
        boolean transientStatus = response.statusCode() == 429 || response.statusCode() >= 500;
        if (!transientStatus || attempt == MAX_ATTEMPTS) {
          return response;
        }
      } catch (TimeoutException e) {
        future.cancel(true);
        throw timedOut(uri);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        throw new IllegalStateException("interrupted while fetching " + uri, e);
      } catch (ExecutionException e) {
        if (causedByTooLarge(e)) {
          throw new ContentRefusedException(IngestReasons.TOO_LARGE, uri + " is larger than the limit of " + maxBytes + " bytes");
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new ContentRefusedException(IngestReasons.CONTENT_UNREADABLE, "cannot fetch " + uri + ": " + e.getCause());
        }
      }
      backOff(attempt, deadline);
    }
  }

  private static boolean causedByTooLarge(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CappedBodySubscriber.TooLarge) {
        return true;
      }
    }
    return false;
  }

  private ContentRefusedException timedOut(URI uri) {
    return new ContentRefusedException(IngestReasons.CONTENT_UNREADABLE,
        "fetching " + uri + " took longer than " + policy.httpTimeout().toMillis() + " ms");
  }

  private static void backOff(int attempt, long deadline) {
    long pauseMs = (100L << attempt) + ThreadLocalRandom.current().nextLong(100);
    long sleepMs = Math.min(pauseMs, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
    try {
      Thread.sleep(sleepMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Bodies of successful responses are read up to the cap; others are discarded. */
  private BodySubscriber<byte[]> capped(ResponseInfo info) {
    if (info.statusCode() < 200 || info.statusCode() >= 300) {
      return BodySubscribers.replacing(new byte[0]);
    }
    long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
    return new CappedBodySubscriber(maxBytes, declared > maxBytes);
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = HttpClient.newBuilder().connectTimeout(policy.httpTimeout())
              .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        c = client;
      }
    }
    return c;
  }

  @Override
  public void close() {
    if (client != null) {
      client.shutdownNow();
    }
  }
}
