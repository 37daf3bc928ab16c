package dev.sluice.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Parses in a child JVM ({@link ParseWorkerMain}) with its own heap ({@link
 * ParserIsolation.Mode#PROCESS}): a parse that overruns the timeout is ended by killing the child, one
 * that exhausts the child's heap ends the child; either way the document gets its reason and the next
 * parse starts a new child. The child is started on first use (or {@link #start}) and replaced every
 * {@value #RECYCLE_AFTER} documents. Not thread-safe.
 */
final class ProcessParser implements DocumentParser {
  // Parsers keep caches (fonts, POI records) that only grow; a fresh JVM now and then bounds them.
  private static final int RECYCLE_AFTER = 2_000;
  // HotSpot's exit status after -XX:+ExitOnOutOfMemoryError.
  private static final int OUT_OF_MEMORY_EXIT = 3;

  private final List<String> command;
  private final Duration timeout;
  private final int heapMb;
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sluice-parse-worker-io");
    t.setDaemon(true);
    return t;
  });
  private ParseWorkerProcess worker;

  ProcessParser(ParseLimits limits, int heapMb) {
    this.timeout = limits.timeout();
    this.heapMb = heapMb;
    this.command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heapMb + "m",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-UsePerfData",
        // The JVM's own log goes to stdout by default, which carries the protocol.
        "-Xlog:disable", "-Xlog:all=warning:stderr",
        "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=dev/sluice/ingest/parse-worker-logback.xml",
        "-cp", System.getProperty("java.class.path"),
        ParseWorkerMain.class.getName(),
        Integer.toString(limits.maxChars()),
        Integer.toString(limits.maxEmbeddedDepth()),
        Integer.toString(limits.maxEmbeddedCount()));
  }

  @Override
  public void start() {
    worker();
  }

  @Override
  public ParsedDocument parse(ParseRequest request) throws ParseFailure {
    ParseWorkerProcess current = worker();
    Future<ParsedDocument> response = io.submit(() -> current.exchange(request));
    try {
      return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stopWorker();
      throw new ParseFailure(IngestReasons.PARSE_TIMEOUT,
          "parsing took longer than " + timeout.toMillis() + " ms; the parser was stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopWorker();
      throw new IllegalStateException("interrupted while parsing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ParseFailure failure) {
        throw failure;
      }
      int exit = current.awaitExit();
      stopWorker();
      throw died(exit, e.getCause());
    } finally {
      if (worker != null && worker.parses() >= RECYCLE_AFTER) {
        stopWorker();
      }
    }
  }

  private ParseFailure died(int exit, Throwable cause) {
    if (exit == OUT_OF_MEMORY_EXIT) {
      return new ParseFailure(IngestReasons.TOO_LARGE,
          "parsing the document needs more memory than the parse worker's " + heapMb + " MiB heap", OutOfMemoryError.class.getName(), null, cause);
    }
    return new ParseFailure(IngestReasons.CORRUPT,
        "the parser crashed on the document (parse worker exited with status " + exit + ")", cause);
  }

  private ParseWorkerProcess worker() {
    if (worker == null) {
      worker = ParseWorkerProcess.start(command, io);
    }
    return worker;
  }

  private void stopWorker() {
    if (worker != null) {
      worker.kill();
      worker = null;
    }
  }

  @Override
  public void close() {
    stopWorker();
    io.shutdownNow();
  }
}
