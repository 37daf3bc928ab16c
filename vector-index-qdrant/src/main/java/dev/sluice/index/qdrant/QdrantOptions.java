package dev.sluice.index.qdrant;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Qdrant adapter builds collections and talks to the server.
 *
 * @param hnswM graph neighbours per node (16, as the Lucene adapter)
 * @param efConstruct candidates kept while building the graph
 * @param searchEf candidates kept while searching; at least the requested top K
 * @param int8Quantization keep an int8 scalar-quantised copy of the dense vectors in RAM (4× less
 *     memory, rescored with the originals)
 * @param timeout deadline of one request
 * @param shardNumber shards of every collection Sluice creates (points and document registry)
 * @param replicationFactor copies of each shard in a cluster, for every collection Sluice creates
 */
public record QdrantOptions(
    int hnswM, int efConstruct, int searchEf, boolean int8Quantization, Duration timeout, int shardNumber,
    int replicationFactor) {

  /** HNSW m=16, ef_construct=64, search ef 128, no quantisation, 10 s per request, 1 shard, 1 replica. */
  public static final QdrantOptions DEFAULTS = new QdrantOptions(16, 64, 128, false, Duration.ofSeconds(10), 1, 1);

  public QdrantOptions {
    if (hnswM < 2 || efConstruct < 4 || searchEf < 1) {
      throw new IllegalArgumentException("invalid HNSW parameters m=" + hnswM + " ef_construct=" + efConstruct + " ef=" + searchEf);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (shardNumber < 1) {
      throw new IllegalArgumentException("the shard number must be at least 1, was " + shardNumber);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("the replication factor must be at least 1, was " + replicationFactor);
    }
  }

  public QdrantOptions withInt8Quantization(boolean enabled) {
    return new QdrantOptions(hnswM, efConstruct, searchEf, enabled, timeout, shardNumber, replicationFactor);
  }

  /** The same options with another deadline per request. */
  public QdrantOptions withTimeout(Duration requestTimeout) {
    return new QdrantOptions(hnswM, efConstruct, searchEf, int8Quantization, requestTimeout, shardNumber, replicationFactor);
  }

  /**
   * The same options with another sharding for the collections Sluice creates from now on (an
   * existing collection keeps the sharding it was created with).
   */
  public QdrantOptions withSharding(int shards, int replicas) {
    return new QdrantOptions(hnswM, efConstruct, searchEf, int8Quantization, timeout, shards, replicas);
  }
}
