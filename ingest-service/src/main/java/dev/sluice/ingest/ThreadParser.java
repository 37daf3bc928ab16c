package dev.sluice.ingest;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Parses on a thread of this JVM with a timeout ({@link ParserIsolation.Mode#THREAD}). A parse that
 * overruns is abandoned to its thread and the next one gets a fresh thread: the partition moves on,
 * though a parser that ignores interrupts keeps burning its thread. Not thread-safe.
 */
final class ThreadParser implements DocumentParser {
  private final TikaDocumentParser tika;
  private final Duration timeout;
  private ExecutorService worker = newWorker();

  ThreadParser(TikaDocumentParser tika, Duration timeout) {
    this.tika = tika;
    this.timeout = timeout;
  }

  @Override
  public void start() {
    // Nothing to start: the thread is created with the parser.
  }

  @Override
  public ParsedDocument parse(ParseRequest request) throws ParseFailure {
    Future<ParsedDocument> result = worker.submit(() -> tika.parse(request));
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
      throw new ParseFailure(IngestReasons.PARSE_TIMEOUT, "parsing took longer than " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ParseFailure failure) {
        throw failure;
      }
      throw TikaDocumentParser.classify(e.getCause());
    }
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sluice-tika-parser");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
