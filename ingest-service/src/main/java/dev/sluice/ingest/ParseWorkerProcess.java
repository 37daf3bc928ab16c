package dev.sluice.ingest;

import dev.sluice.runtime.FatalServiceException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running parse worker JVM ({@link ParseWorkerMain}): its pipes, and its stderr relayed to this
 * service's log (the last lines kept to explain a worker that would not start). Used by one {@link
 * ProcessParser}; not thread-safe.
 */
final class ParseWorkerProcess {
  private static final Logger log = LoggerFactory.getLogger(ParseWorkerProcess.class);
  // A cold JVM loading Tika on a busy two-core machine takes seconds; this is for a JVM that cannot start.
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final int STDERR_LINES_KEPT = 20;
  private final Process process;
  private final DataOutputStream out;
  private final DataInputStream in;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private int parses;

  private ParseWorkerProcess(Process process) {
    this.process = process;
    this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
    this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
  }

  /** Starts a worker and waits until it is ready to parse. */
static ParseWorkerProcess start(List<String> command, ExecutorService io) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new FatalServiceException("cannot start a parse worker JVM (" + command.get(0) + "): " + e.getMessage()
          + "; set ingest.parse.isolation=thread to parse inside the service", e);
    }
    ParseWorkerProcess worker = new ParseWorkerProcess(process);
    Thread pump = new Thread(worker::pumpStderr, "sluice-parse-worker-stderr-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    Future<Void> ready = io.submit(() -> {
      ParseWire.readReady(worker.in);
      return null;
    });
    try {
      ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      worker.kill();
      throw new FatalServiceException("the parse worker JVM did not start: " + worker.stderrTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.kill();
      throw new IllegalStateException("interrupted while starting a parse worker", e);
    }
    log.debug("parse worker {} started", process.pid());
    return worker;
  }

  /** Documents sent to this worker so far. */
  int parses() {
    return parses;
  }

  /** Sends one document and reads the answer; blocks until the worker answers or dies. */
ParsedDocument exchange(ParseRequest request) throws IOException, ParseFailure {
    parses++;
    ParseWire.writeRequest(out, request);
    return ParseWire.readResponse(in);
  }

  /** The exit status, once the worker has exited (-1 if it is still running after a few seconds). */
int awaitExit() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pumpStderr() {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        log.warn("parse worker {}: {}", process.pid(), line);
        synchronized (stderrTail) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_LINES_KEPT) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      log.debug("parse worker {} stderr closed: {}", process.pid(), e.toString());
    }
  }

  private String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "(no output)" : String.join(" | ", stderrTail);
    }
  }
}
