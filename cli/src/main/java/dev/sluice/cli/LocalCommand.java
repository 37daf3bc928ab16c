package dev.sluice.cli;

import dev.sluice.schemas.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice local}: an embedded KRaft broker, the four services, the index (Lucene under the data
 * dir, or a Qdrant server with {@code --index qdrant}) and the query API in one JVM, until Ctrl-C. A restart on the same data dir resumes where it stopped.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {"Run Sluice all-in-one: embedded Kafka, ingest, embed, index and the query API.",
        "Everything lives under --data-dir; restarting on the same dir resumes where it stopped."})
final class LocalCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "./sluice-data", description = "Where broker, state and index live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--http-port", defaultValue = "8080", description = "Port of the query API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--sample", description = "Publish the bundled sample corpus (tenant 'default').")
  boolean sample;

  @Option(names = "--ingest", paramLabel = "DIR", description = "Publish every file under DIR (tenant 'default').")
  List<Path> ingest = new ArrayList<>();

  @Option(names = "--allow-root", paramLabel = "DIR",
      description = "Directory under which file: references may be read (repeatable; default: working dir, home, temp).")
  List<Path> allowRoots = new ArrayList<>();

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Embedding model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--index", defaultValue = "lucene", paramLabel = "lucene|qdrant",
      description = "Vector index: lucene (under --data-dir) or qdrant (at --qdrant-url) (default: ${DEFAULT-VALUE}).")
  String index;

  @Option(names = "--qdrant-url", paramLabel = "URL",
      description = "Qdrant's gRPC endpoint for --index qdrant, e.g. http://127.0.0.1:6334 (https:// for TLS; "
          + "SLUICE_QDRANT_API_KEY for a key). Local mode stops at once if it does not answer.")
  String qdrantUrl;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dataDir);
    Path data = dataDir.toAbsolutePath().normalize();
    List<Path> roots = allowRoots.isEmpty() ? LocalPipeline.defaultAllowedRoots() : allowRoots;
    if (qdrantUrl != null && !"qdrant".equalsIgnoreCase(index)) {
      throw new CliException("--qdrant-url needs --index qdrant");
    }
    String where = "qdrant".equalsIgnoreCase(index) ? "Qdrant at " + (qdrantUrl != null ? qdrantUrl : "(qdrant.url setting)") : "Lucene";
    System.out.println("sluice local: starting in " + data + " on " + where + " (file: references allowed under " + roots + ")");
    LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Options(data, kafkaPort, httpPort, partitions, model, roots,
        java.util.Optional.ofNullable(System.getenv("SLUICE_AUTH_TOKENS")), index, java.util.Optional.ofNullable(qdrantUrl)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("sluice local: stopping (committing offsets and the index)...");
      pipeline.close();
      stopped.countDown();
    }, "sluice-local-shutdown"));

    String url = pipeline.endpoints().http();
    System.out.println();
    System.out.println("Sluice is up.");
    System.out.println("  query API : " + url + "   (Kafka at " + pipeline.endpoints().bootstrap() + ")");
    pipeline.generatedToken().ifPresent(t -> System.out.println("  token     : " + t + "   (tenant 'default', saved in " + data.resolve("token") + ")"));
    System.out.println("  search    : ./sluice search \"your question\" --data-dir " + dataDir);
    System.out.println("  or        : curl -s -H \"Authorization: Bearer $(cat " + data.resolve("token") + ")\" -H 'Content-Type: application/json' -d '{\"query\":\"your question\",\"topK\":5}' " + url + "/v1/search");
    System.out.println("  status    : ./sluice status --data-dir " + dataDir);
    System.out.println("Ctrl-C stops it; a restart on the same --data-dir resumes.");

    List<Path> toPublish = new ArrayList<>(ingest);
    if (sample) {
      toPublish.add(SampleCorpus.extract(data.resolve("sample")));
    }
    for (Path dir : toPublish) {
      publish(pipeline, dir);
    }
    stopped.await();
    return 0;
  }

  private void publish(LocalPipeline pipeline, Path dir) throws IOException {
    FileEvents events = new FileEvents("default", 512 * 1024);
    int published = 0;
    try (DocumentPublisher publisher = new DocumentPublisher(pipeline.endpoints().bootstrap(), TopicCatalogue.withPrefix(""), DocumentPublisher.Lane.live)) {
      for (Path file : FileEvents.files(dir)) {
        if (!FileEvents.isHidden(file)) {
          publisher.publish(events.upsert(dir, file));
          published++;
        }
      }
    }
    System.out.println("published " + published + " documents from " + dir + " (tenant 'default')");
  }
}
