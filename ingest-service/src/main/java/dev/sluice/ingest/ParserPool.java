package dev.sluice.ingest;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Up to {@code size} parsers shared by the stream threads of one service (one per task would start a
 * JVM per partition). When the first holder takes the pool, one parser is started in the background,
 * so that the first document does not wait for a JVM to start; more are created on demand. When the
 * last holder releases the pool, idle parsers are closed (their JVMs stop). Thread-safe.
 */
final class ParserPool {
  private static final Logger log = LoggerFactory.getLogger(ParserPool.class);

  private final Supplier<DocumentParser> factory;
  private final Semaphore permits;
  private final ConcurrentLinkedQueue<DocumentParser> idle = new ConcurrentLinkedQueue<>();
  private int holders;

  ParserPool(Supplier<DocumentParser> factory, int size) {
    this.factory = factory;
    this.permits = new Semaphore(size, true);
  }

  /** A pool of the configured isolation; nothing starts until it is retained. */
  static ParserPool of(ParseLimits limits, ParserIsolation isolation) {
    Supplier<DocumentParser> factory = switch (isolation.mode()) {
      case PROCESS -> () -> new ProcessParser(limits, isolation.workerHeapMb());
      case THREAD -> () -> new ThreadParser(new TikaDocumentParser(limits), limits.timeout());
    };
    return new ParserPool(factory, isolation.workers());
  }

  ParsedDocument parse(ParseRequest request) throws ParseFailure {
    permits.acquireUninterruptibly();
    DocumentParser parser = idle.poll();
    try {
      if (parser == null) {
        parser = factory.get();
      }
      return parser.parse(request);
    } finally {
      if (parser != null) {
        giveBack(parser);
      }
      permits.release();
    }
  }

  synchronized void retain() {
    if (holders++ == 0) {
      Thread starter = new Thread(this::prestart, "sluice-parse-worker-prestart");
      starter.setDaemon(true);
      starter.start();
    }
  }

  synchronized void release() {
    if (--holders <= 0) {
      holders = 0;
      for (DocumentParser parser = idle.poll(); parser != null; parser = idle.poll()) {
        parser.close();
      }
    }
  }

  private void prestart() {
    permits.acquireUninterruptibly();
    try {
      DocumentParser parser = factory.get();
      try {
        parser.start();
      } catch (RuntimeException e) {
        // The first document retries, and stops the service if the parser still cannot start.
        log.warn("could not start a parser ahead of the first document: {}", e.getMessage());
        parser.close();
        return;
      }
      giveBack(parser);
    } finally {
      permits.release();
    }
  }

  private synchronized void giveBack(DocumentParser parser) {
    if (holders > 0) {
      idle.add(parser);
    } else {
      parser.close();
    }
  }
}
