package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DocumentEvent;
import dev.sluice.schemas.Topic;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * One Sluice run of {@code sluice bench pipeline}: a fresh local pipeline (broker, the three stream
 * services, Lucene, the query API) under a new data dir, exactly as {@code sluice local} runs it; a
 * warm-up document taken to searchable before the clock starts (so the clock sees neither start-up
 * nor the first use of the parse worker, the model and the index), and the JVMs left to go quiet; then every corpus file published,
 * and the time until every document's status is final (indexed or failed) and no stage lags. Meanwhile
 * it samples the services' meters to place the model calls in time, and at the end reads back the
 * chunks the ingest emitted: the texts the limit's raw ONNX Runtime pass embeds.
 */
final class BenchPipelineRun {
  static final String WARM_UP_DOC_ID = "sluice-bench-warm-up.txt";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "default";
  // Each poll asks the query API for the tenant's counts: often enough to time a run to a fifth of a
  // second, seldom enough to cost the pipeline little.
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(5);
  // Quiet enough to start a clock: under a tenth of a core over half a second, waited for at most
  // 20 s (an idle pipeline still polls and heartbeats).
  static final double QUIET_CORES = 0.1;
  static final Duration QUIET_WINDOW = Duration.ofMillis(500);
  static final Duration QUIET_LIMIT = Duration.ofSeconds(20);

  private final BenchPipelineCorpus corpus;
  private final Path dataDir;
  private final String model;
  private final int partitions;
  private final Duration timeout;

  BenchPipelineRun(BenchPipelineCorpus corpus, Path dataDir, String model, int partitions, Duration timeout) {
    this.corpus = corpus;
    this.dataDir = dataDir;
    this.model = model;
    this.partitions = partitions;
    this.timeout = timeout;
  }

  /** What one run measured, and the distinct chunk texts it embedded (by content hash, in topic order). */
  record Outcome(BenchPipelineResults.Sluice result, Map<String, String> textsByHash) {}

  Outcome run() throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path warmUp = Files.createDirectories(dataDir.resolve("warm-up")).resolve(WARM_UP_DOC_ID);
    Files.writeString(warmUp, "Warm-up document. It takes the parse worker, the embedding model and the index through "
        + "their first document before the clock starts, as a service that has been running would have done.");
    List<Path> roots = List.of(corpus.dir(), dataDir.toAbsolutePath().normalize());
    try (LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Options(dataDir.toAbsolutePath().normalize(), 0, 0, partitions,
        model, roots, Optional.empty(), "lucene", Optional.empty()))) {
      ApiClient api = new ApiClient(pipeline.endpoints().http(), pipeline.generatedToken().orElseThrow());
      String bootstrap = pipeline.endpoints().bootstrap();
      TopicCatalogue topics = TopicCatalogue.withPrefix("");
      publish(bootstrap, topics, warmUp.getParent(), List.of(warmUp));
      awaitFinal(api, bootstrap, topics, 1, System.nanoTime(), WARM_UP_TIMEOUT, new Samples(pipeline.meters(), System.nanoTime()));
      BenchPipelineCpu.awaitQuiet(QUIET_CORES, QUIET_WINDOW, QUIET_LIMIT);

      MeterRegistry meters = pipeline.meters();
      Meters before = Meters.read(meters);
      BenchPipelineCpu cpuBefore = BenchPipelineCpu.now();
      long start = System.nanoTime();
      Samples samples = new Samples(meters, start);
      publish(bootstrap, topics, corpus.dir(), corpus.files());
      double published = seconds(System.nanoTime() - start);
      JsonNode documents = awaitFinal(api, bootstrap, topics, corpus.files().size() + 1, start, timeout, samples);
      double elapsed = seconds(System.nanoTime() - start);
      BenchPipelineCpu.Spent cpu = BenchPipelineCpu.now().since(cpuBefore);
      Meters spent = Meters.read(meters).minus(before);

      Map<String, String> texts = new LinkedHashMap<>();
      long chunks = readChunks(bootstrap, topics.chunks(), texts);
      BenchPipelineResults.Sluice result = new BenchPipelineResults.Sluice(
          round(elapsed), corpus.files().size(), documents.path("indexed").asLong() - 1, documents.path("failed").asLong(),
          chunks, texts.size(), BenchPipelineResults.digest(texts.keySet()),
          new BenchPipelineResults.Parse(spent.parseCalls, round(spent.parseSeconds), round(seconds(cpu.children().toNanos()))),
          round(seconds(cpu.javaThreads(BenchPipelineCpu.INGEST).toNanos())),
          new BenchPipelineResults.Embed(spent.modelCalls, spent.embedded, spent.cached, spent.failed, round(spent.modelSeconds)),
          round(seconds(cpu.javaThreads(BenchPipelineCpu.INDEX).toNanos())),
          new BenchPipelineResults.Cpu(round(seconds(cpu.process().toNanos())), round(seconds(cpu.children().toNanos())),
              round(seconds(cpu.javaThreads(BenchPipelineCpu.INGEST).toNanos())), round(seconds(cpu.javaThreads(BenchPipelineCpu.EMBED).toNanos())),
              round(seconds(cpu.javaThreads(BenchPipelineCpu.INDEX).toNanos())), round(seconds(cpu.javaThreads(BenchPipelineCpu.QUERY).toNanos())),
              round(seconds(cpu.javaThreads(BenchPipelineCpu.OTHER_JAVA).toNanos())),
              round(seconds(cpu.outsideJavaThreads().toNanos())), Runtime.getRuntime().availableProcessors()),
          new BenchPipelineResults.Timeline(round(published), samples.ingestDone, samples.firstModelCall, samples.lastModelCall, round(elapsed)));
      return new Outcome(result, texts);
    }
  }

  private static void publish(String bootstrap, TopicCatalogue topics, Path root, List<Path> files) throws IOException, InterruptedException {
    FileEvents events = new FileEvents(TENANT, 512 * 1024);
    try (DocumentPublisher publisher = new DocumentPublisher(bootstrap, topics, DocumentPublisher.Lane.live)) {
      List<Future<?>> sends = new ArrayList<>(files.size());
      for (Path file : files) {
        DocumentEvent event = events.upsert(root, file);
        sends.add(publisher.publish(event));
      }
      for (Future<?> send : sends) {
        send.get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("publishing to the local broker failed: " + e.getMessage());
    }
  }

  /**
   * Waits until {@code expected} documents of the tenant are indexed or failed and no stage lags;
   * returns the final document counts.
   */
  private static JsonNode awaitFinal(ApiClient api, String bootstrap, TopicCatalogue topics, long expected, long start, Duration timeout,
      Samples samples) throws InterruptedException {
    long deadline = start + timeout.toNanos();
    List<PipelineLag.Stage> stages = PipelineLag.stages("", topics);
    JsonNode documents = api.get("/stats").path("documents");
    while (System.nanoTime() < deadline) {
      samples.sample(expected - 1);
      documents = api.get("/stats").path("documents");
      if (documents.path("indexed").asLong() + documents.path("failed").asLong() >= expected
          && PipelineLag.measure(bootstrap, stages).total() == 0) {
        samples.sample(expected - 1);
        return documents;
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new CliException("not every document was indexed or failed within " + timeout.toSeconds() + " s: " + documents);
  }

  /** Every chunk record of the chunks topic (but the warm-up document's); the distinct texts go into {@code texts}. */
  private static long readChunks(String bootstrap, Topic<String, ChunkTopicRecord> topic, Map<String, String> texts) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long chunks = 0;
    try (KafkaConsumer<String, ChunkTopicRecord> consumer =
        new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      partitions.sort(Comparator.comparingInt(TopicPartition::partition));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new CliException("could not read back the chunks topic within 2 minutes");
        }
        for (ConsumerRecord<String, ChunkTopicRecord> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null && record.value().getBody() instanceof Chunk chunk && !chunk.getDocId().equals(WARM_UP_DOC_ID)) {
            chunks++;
            texts.putIfAbsent(chunk.getContentHash(), chunk.getText());
          }
        }
      }
    }
    return chunks;
  }

  /** Writes texts as JSON lines {@code {"hash": ..., "text": ...}}, the input of the raw ONNX Runtime pass. */
  static void writeTexts(Map<String, String> textsByHash, Path file) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> entry : textsByHash.entrySet()) {
      out.append(JSON.writeValueAsString(Map.of("hash", entry.getKey(), "text", entry.getValue()))).append('\n');
    }
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /** The services' meters that the breakdown reads, at one instant. */
  private record Meters(long documents, long parseCalls, double parseSeconds, long modelCalls, double modelSeconds, long embedded, long cached,
      long failed) {
    static Meters read(MeterRegistry registry) {
      Timer parse = registry.find("sluice.ingest.parse").timer();
      Timer model = registry.find("sluice.embed.latency").timer();
      return new Meters(
          (long) registry.find("sluice.ingest.documents").counters().stream().mapToDouble(Counter::count).sum(),
          parse == null ? 0 : parse.count(), parse == null ? 0 : parse.totalTime(TimeUnit.NANOSECONDS) / 1e9,
          model == null ? 0 : model.count(), model == null ? 0 : model.totalTime(TimeUnit.NANOSECONDS) / 1e9,
          chunks(registry, "embedded"), chunks(registry, "cached"), chunks(registry, "failed"));
    }

    private static long chunks(MeterRegistry registry, String result) {
      Counter counter = registry.find("sluice.embed.chunks").tag("result", result).counter();
      return counter == null ? 0 : (long) counter.count();
    }

    Meters minus(Meters before) {
      return new Meters(documents - before.documents, parseCalls - before.parseCalls, parseSeconds - before.parseSeconds,
          modelCalls - before.modelCalls, modelSeconds - before.modelSeconds, embedded - before.embedded, cached - before.cached,
          failed - before.failed);
    }
  }

  /**
   * Places the measured interval's events in time from the meters, sampled every poll: when the
   * ingest had taken every document, when the first model call began (the sample that first sees
   * model time, less that time) and when the last one ended (the sample that last sees it grow).
   * Accurate to a poll. Seconds from the start; -1 when not seen.
   */
  private static final class Samples {
    private final MeterRegistry registry;
    private final long start;
    private final Meters base;
    private double ingestDone = -1;
    private double firstModelCall = -1;
    private double lastModelCall = -1;
    private double lastModelSeconds;

    Samples(MeterRegistry registry, long start) {
      this.registry = registry;
      this.start = start;
      this.base = Meters.read(registry);
    }

    void sample(long documents) {
      Meters now = Meters.read(registry).minus(base);
      double at = round(seconds(System.nanoTime() - start));
      if (ingestDone < 0 && now.documents >= documents) {
        ingestDone = at;
      }
      if (now.modelSeconds > lastModelSeconds) {
        if (firstModelCall < 0) {
          firstModelCall = round(Math.max(0, at - now.modelSeconds));
        }
        lastModelCall = at;
        lastModelSeconds = now.modelSeconds;
      }
    }
  }
}
