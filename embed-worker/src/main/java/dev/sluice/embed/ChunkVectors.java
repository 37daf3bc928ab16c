package dev.sluice.embed;

import dev.sluice.embed.BatchEmbedder.Outcome;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.events.Chunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a chunk's vector comes from: the cache when it holds the chunk's content hash, otherwise
 * the model, in one call per batch in which a text repeated within the batch is embedded once;
 * computed vectors enter the cache. Counts each chunk as {@code embedded} (the model computed it)
 * or {@code cached} (served without a model run). Not thread-safe: one per task.
 */
final class ChunkVectors {

  private final EmbeddingCache cache;
  private final BatchEmbedder embedder;
  private final EmbedMetrics metrics;

  ChunkVectors(EmbeddingCache cache, BatchEmbedder embedder, EmbedMetrics metrics) {
    this.cache = cache;
    this.embedder = embedder;
    this.metrics = metrics;
  }

  /** The cached vector of one chunk, counted as served when present. */
  Optional<float[]> cached(Chunk chunk) {
    Optional<float[]> vector = cache.get(chunk.getContentHash());
    vector.ifPresent(v -> metrics.cached(1));
    return vector;
  }

  /**
   * One outcome per chunk, in order; a failure is the chunk's own (see {@link BatchEmbedder}).
   * Caches and counts nothing when it throws.
   *
   * @throws EngineFailureException when the model runtime failed on the batch as a whole
   */
  List<Outcome> resolve(List<Chunk> chunks) {
    Map<String, Outcome> byHash = new HashMap<>();
    Map<String, String> toEmbed = new LinkedHashMap<>();
    for (Chunk chunk : chunks) {
      String hash = chunk.getContentHash();
      if (!byHash.containsKey(hash) && !toEmbed.containsKey(hash)) {
        cache.get(hash).ifPresentOrElse(
            v -> byHash.put(hash, new Outcome.Embedded(v)), () -> toEmbed.put(hash, chunk.getText()));
      }
    }
    int computed = embed(toEmbed, byHash);
    List<Outcome> outcomes = new ArrayList<>(chunks.size());
    int served = 0;
    for (Chunk chunk : chunks) {
      Outcome outcome = byHash.get(chunk.getContentHash());
      outcomes.add(outcome);
      served += outcome instanceof Outcome.Embedded ? 1 : 0;
    }
    metrics.embedded(computed);
    metrics.cached(served - computed);
    return outcomes;
  }

  /** Embeds texts by hash into {@code byHash} and the cache; returns how many the model computed. */
  private int embed(Map<String, String> textsByHash, Map<String, Outcome> byHash) {
    if (textsByHash.isEmpty()) {
      return 0;
    }
    List<String> hashes = List.copyOf(textsByHash.keySet());
    List<String> texts = List.copyOf(textsByHash.values());
    List<Outcome> outcomes;
    try {
      outcomes = metrics.modelCalls().record(() -> embedder.embed(texts));
    } catch (EngineFailureException e) {
      metrics.engineFailed();
      throw e;
    }
    metrics.batch(texts.size());
    int computed = 0;
    for (int i = 0; i < hashes.size(); i++) {
      Outcome outcome = outcomes.get(i);
      byHash.put(hashes.get(i), outcome);
      if (outcome instanceof Outcome.Embedded embedded) {
        cache.put(hashes.get(i), embedded.vector());
        computed++;
      }
    }
    return computed;
  }
}
