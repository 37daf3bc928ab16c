package dev.sluice.index.qdrant;

import java.time.Duration;

/**
 * How the Qdrant adapter builds collections and talks to the server.
 *
 * @param hnswM graph neighbours per node (16, as the Lucene adapter)
 * @param efConstruct candidates kept while building the graph
 * @param searchEf candidates kept while searching; at least the requested top K
 * @param int8Quantization keep an int8 scalar-quantised copy of the dense vectors in RAM (4× less
 *     memory, rescored with the originals)
 * @param timeout deadline of one request
 */
public record QdrantOptions(int hnswM, int efConstruct, int searchEf, boolean int8Quantization, Duration timeout) {

  /** HNSW m=16, ef_construct=64, search ef 128, no quantisation, 10 s per request. */
  public static final QdrantOptions DEFAULTS = new QdrantOptions(16, 64, 128, false, Duration.ofSeconds(10));

  public QdrantOptions {
    if (hnswM < 2 || efConstruct < 4 || searchEf < 1) {
      throw new IllegalArgumentException("invalid HNSW parameters m=" + hnswM + " ef_construct=" + efConstruct + " ef=" + searchEf);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  public QdrantOptions withInt8Quantization(boolean enabled) {
    return new QdrantOptions(hnswM, efConstruct, searchEf, enabled, timeout);
  }
}
