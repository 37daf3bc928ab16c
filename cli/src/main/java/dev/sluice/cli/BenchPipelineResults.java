package dev.sluice.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * What each step of {@code sluice bench pipeline} measures, as it crosses from the step's JVM to the
 * one that reports (JSON). Seconds are wall-clock unless named CPU.
 */
final class BenchPipelineResults {
  private BenchPipelineResults() {}

  /**
   * One Sluice run, from the first publish to every document searchable (or failed).
   *
   * @param seconds publish to searchable
   * @param chunks chunk records the ingest emitted
   * @param distinctTexts distinct chunk texts (by content hash): what a perfect cache embeds once
   * @param textsDigest identifies the set of distinct texts, to check that the limit embedded the same ones
   * @param ingestThreadCpuSeconds CPU of the ingest's stream threads: cleaning, chunking, token counting, Kafka
   *     (the parse itself runs in the parse workers, whose CPU is {@code parse.workerCpuSeconds})
   * @param indexThreadCpuSeconds CPU of the index-worker's stream threads
   */
  record Sluice(double seconds, int documents, long indexed, long failed, long chunks, int distinctTexts, String textsDigest,
      Parse parse, double ingestThreadCpuSeconds, Embed embed, double indexThreadCpuSeconds, Cpu cpu, Timeline timeline) {

    /** Wall time before the first model call: parse, chunk and the ingest's commit of the first chunks. */
    double waitBeforeModel() {
      return timeline.firstModelCall() < 0 ? seconds : timeline.firstModelCall();
    }

    /** Wall time between the first model call's start and the last one's end spent outside model calls. */
    double waitBetweenModelCalls() {
      return timeline.firstModelCall() < 0 ? 0 : Math.max(0, timeline.lastModelCall() - timeline.firstModelCall() - embed.modelSeconds());
    }

    /** Wall time after the last model call: the last vectors' commit, indexing and the version publish. */
    double waitAfterModel() {
      return timeline.lastModelCall() < 0 ? 0 : Math.max(0, seconds - timeline.lastModelCall());
    }
  }

  /**
   * @param calls documents parsed
   * @param wallSeconds time the ingest waited on parses
   * @param workerCpuSeconds CPU of the parse worker JVMs
   */
  record Parse(long calls, double wallSeconds, double workerCpuSeconds) {}

  /**
   * @param modelCalls embedder calls (one per flushed batch)
   * @param embedded chunks the model computed
   * @param cached chunks served by the cache (or by an identical text in the same batch)
   * @param failed chunks dead-lettered
   * @param modelSeconds wall time inside model calls
   */
  record Embed(long modelCalls, long embedded, long cached, long failed, double modelSeconds) {
    double chunksPerCall() {
      return modelCalls == 0 ? 0 : (double) embedded / modelCalls;
    }

    double chunksPerModelSecond() {
      return modelSeconds == 0 ? 0 : embedded / modelSeconds;
    }
  }

  /**
   * CPU seconds over the run.
   *
   * @param process the pipeline's JVM
   * @param children the parse workers
   * @param ingest the ingest's stream threads and parse-worker pipes
   * @param query the query API's threads (serving the bench's polls, among others)
   * @param otherJava every other Java thread: the broker, mostly
   * @param outsideJava the pipeline JVM outside Java threads: ONNX Runtime's pool, GC, JIT
   * @param cores available processors: the run had {@code cores * seconds} of CPU to spend
   */
  record Cpu(double process, double children, double ingest, double embed, double index, double query, double otherJava, double outsideJava,
      int cores) {}

  /** Seconds from the first publish; -1 when not seen. */
  record Timeline(double published, double ingestDone, double firstModelCall, double lastModelCall, double searchable) {}

  /**
   * The parse half of the limit: the corpus parsed once, one document at a time, by one parse worker
   * as the ingest runs it.
   *
   * @param cpuSeconds CPU of the parse worker JVM over the corpus
   * @param wallSeconds time in parse calls
   * @param chunkSeconds time cleaning and chunking (not part of the limit; reported beside it)
   */
  record ParsePass(int documents, int failed, double cpuSeconds, double wallSeconds, double chunkSeconds, long chunks) {}

  /**
   * The model half of the limit: raw ONNX Runtime, one text per session run, over the distinct chunk
   * texts of a Sluice run, tokenized as Sluice tokenizes them.
   */
  record OrtPass(int texts, long tokens, double seconds, String textsDigest) {
    double textsPerSecond() {
      return seconds == 0 ? 0 : texts / seconds;
    }
  }

  /** A short, order-independent fingerprint of a set of content hashes. */
  static String digest(Collection<String> hashes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      hashes.stream().sorted().forEach(h -> sha.update((h + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
