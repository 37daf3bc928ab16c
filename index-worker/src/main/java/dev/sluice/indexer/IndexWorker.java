package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.backend.IndexBackends;
import dev.sluice.index.backend.OpenIndex;
import dev.sluice.runtime.ServiceMain;
import dev.sluice.runtime.StreamsService;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The index worker: {@code main} for running it alone, {@link #start} for local mode. */
public final class IndexWorker implements ServiceMain.Running {
  private static final Logger log = LoggerFactory.getLogger(IndexWorker.class);
  private final StreamsService streams;
  private final ResilientCalls calls;
  private final AutoCloseable[] owned;

  private IndexWorker(StreamsService streams, ResilientCalls calls, AutoCloseable... owned) {
    this.streams = streams;
    this.calls = calls;
    this.owned = owned;
  }

  /** Starts the worker on an index and registry owned by the caller (local mode shares them). */
  public static IndexWorker start(IndexConfig config, VectorIndex index, DocumentRegistry registry, MeterRegistry meters) {
    ResilientCalls calls = new ResilientCalls(config.resilience(), meters);
    var topology = IndexTopology.build(config, index, registry, meters, calls);
    return new IndexWorker(StreamsService.start("index-worker", topology, config.streams(), meters), calls);
  }

  public StreamsService streams() {
    return streams;
  }

  @Override
  public void awaitStop() throws InterruptedException {
    streams.awaitStop();
  }

  /** Stops waiting for an unavailable index first, so that a paused worker closes promptly. */
  @Override
  public void close() {
    calls.close();
    streams.close();
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + resource, e);
      }
    }
  }

  public static void main(String[] args) {
    ServiceMain.run("index-worker", context -> {
      IndexConfig config = IndexConfig.from(context.settings());
      OpenIndex opened = IndexBackends.openForWriting(config.backend());
      log.info("index-worker writes to {}", opened.description());
      ResilientCalls calls = new ResilientCalls(config.resilience(), context.registry());
      var topology = IndexTopology.build(config, opened.index(), opened.registry(), context.registry(), calls);
      return new IndexWorker(StreamsService.start("index-worker", topology, config.streams(), context.registry()), calls,
          opened);
    });
  }
}
