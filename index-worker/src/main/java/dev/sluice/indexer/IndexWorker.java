package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.runtime.ServiceMain;
import dev.sluice.runtime.StreamsService;
import io.micrometer.core.instrument.MeterRegistry;

/** The index worker: {@code main} for running it alone, {@link #start} for local mode. */
public final class IndexWorker implements ServiceMain.Running {
  private final StreamsService streams;
  private final AutoCloseable[] owned;

  private IndexWorker(StreamsService streams, AutoCloseable... owned) {
    this.streams = streams;
    this.owned = owned;
  }

  /** Starts the worker on an index and registry owned by the caller (local mode shares them). */
  public static IndexWorker start(IndexConfig config, VectorIndex index, DocumentRegistry registry, MeterRegistry meters) {
    var topology = IndexTopology.build(config, index, registry, meters);
    return new IndexWorker(StreamsService.start("index-worker", topology, config.streams(), meters));
  }

  public StreamsService streams() {
    return streams;
  }

  @Override
  public void awaitStop() throws InterruptedException {
    streams.awaitStop();
  }

  @Override
  public void close() {
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
      LuceneVectorIndex index = LuceneVectorIndex.openWritable(IndexLayout.points(config.indexDir()));
      LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(config.indexDir()));
      var topology = IndexTopology.build(config, index, registry, context.registry());
      return new IndexWorker(StreamsService.start("index-worker", topology, config.streams(), context.registry()), index, registry);
    });
  }
}
