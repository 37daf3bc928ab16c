package dev.sluice.cli;

import dev.sluice.events.DocumentEvent;
import dev.sluice.schemas.TopicCatalogue;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Publishes every line of a JSON-lines corpus as a document event ({@link JsonlEvents}), streaming:
 * lines are read, sent and acknowledged as they go, so a corpus of any size needs little memory. A
 * line that is not a document is reported with its number and skipped.
 */
final class JsonlPublish {
  // Sends in flight before waiting for the oldest: enough to keep the producer's batches full.
  private static final int IN_FLIGHT = 1000;

  /** What happened. */
  record Summary(long published, long skipped, long errors) {}

  private final Path file;
  private final String tenant;
  private final boolean delete;

  JsonlPublish(Path file, String tenant, boolean delete) {
    this.file = file;
    this.tenant = tenant;
    this.delete = delete;
  }

  Summary run(String bootstrap, TopicCatalogue topics, DocumentPublisher.Lane lane) throws IOException, InterruptedException {
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    long total;
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      total = lines.filter(line -> !line.isBlank()).count();
    }
    JsonlEvents events = new JsonlEvents(tenant, file);
    ProgressBar progress = new ProgressBar(System.err, delete ? "deleting" : "publishing", total);
    long published = 0;
    long skipped = 0;
    long errors = 0;
    Deque<Future<?>> sends = new ArrayDeque<>();
    try (DocumentPublisher publisher = new DocumentPublisher(bootstrap, topics, lane);
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          DocumentEvent event = events.event(line, delete);
          sends.add(publisher.publish(event));
        } catch (JsonlEvents.BadLine e) {
          skipped++;
          System.err.println(file.getFileName() + " line " + lineNumber + ": " + e.getMessage() + "; skipped");
        }
        while (sends.size() >= IN_FLIGHT) {
          if (await(sends.poll())) {
            published++;
          } else {
            errors++;
          }
          progress.update(published + errors + skipped);
        }
      }
      while (!sends.isEmpty()) {
        if (await(sends.poll())) {
          published++;
        } else {
          errors++;
        }
        progress.update(published + errors + skipped);
      }
    }
    return new Summary(published, skipped, errors);
  }

  private static boolean await(Future<?> send) throws InterruptedException {
    try {
      send.get();
      return true;
    } catch (ExecutionException e) {
      System.err.println("send failed: " + e.getCause().getMessage());
      return false;
    }
  }
}
