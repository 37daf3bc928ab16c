package dev.sluice.query;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A small pool of embedders shared by request threads: an {@link Embedder} is single-threaded, and
 * ONNX Runtime already uses every core for one query, so more embedders than cores would only queue.
 */
final class QueryEmbedders implements AutoCloseable {
  private final BlockingQueue<Embedder> idle;

  QueryEmbedders(EmbeddingModel model, int size) {
    idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      idle.add(model.newEmbedder());
    }
  }

  float[] embedQuery(String query) {
    Embedder embedder;
    try {
      embedder = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an embedder", e);
    }
    try {
      return embedder.embedQuery(query);
    } finally {
      idle.add(embedder);
    }
  }

  @Override
  public void close() {
    idle.forEach(Embedder::close);
  }
}
