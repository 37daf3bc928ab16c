package dev.sluice.cli;

import dev.sluice.schemas.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes files as document events exactly as {@code sluice publish} does ({@link FileEvents} on
 * the live lane through {@link DocumentPublisher}), for tools outside this package such as the chaos
 * suite: docId = path relative to {@code root}, version = the file's last-modified millis, content
 * inline up to {@code maxInlineBytes} and by {@code file:} reference above. Not thread-safe.
 */
public final class FilePublisher implements AutoCloseable {
  private final FileEvents events;
  private final DocumentPublisher publisher;

  /**
   * @param bootstrap Kafka bootstrap servers
   * @param tenant tenant of every event
   * @param maxInlineBytes files up to this size travel inline, larger ones by {@code file:} reference
   */
  public FilePublisher(String bootstrap, String tenant, long maxInlineBytes) {
    this.events = new FileEvents(tenant, maxInlineBytes);
    this.publisher = new DocumentPublisher(bootstrap, TopicCatalogue.withPrefix(""), DocumentPublisher.Lane.live);
  }

  /** The docId {@link #upsert} and {@link #delete} give {@code file} under {@code root}. */
  public static String docId(Path root, Path file) {
    return FileEvents.docId(root, file);
  }

  /** Publishes an UPSERT of {@code file} at its current last-modified version. */
  public Future<RecordMetadata> upsert(Path root, Path file) throws IOException {
    return publisher.publish(events.upsert(root, file));
  }

  /** Publishes a DELETE of {@code file}'s document at the file's current last-modified version. */
  public Future<RecordMetadata> delete(Path root, Path file) throws IOException {
    return publisher.publish(events.delete(root, file));
  }

  /** Sends what is buffered and releases the producer. */
  @Override
  public void close() {
    publisher.close();
  }
}
