package dev.sluice.cli;

import dev.sluice.events.DocumentEvent;
import dev.sluice.schemas.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice publish PATH... --tenant T}: one UPSERT (or DELETE) event per file. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish files as document events, one per file.",
        "docId = path relative to PATH (the file name when PATH is a file), version = last-modified millis."})
final class PublishCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to publish.")
  List<Path> paths;

  @Option(names = "--tenant", required = true, description = "Tenant the documents belong to.")
  String tenant;

  @Option(names = "--lane", defaultValue = "live", description = "live or backfill (default: ${DEFAULT-VALUE}).")
  DocumentPublisher.Lane lane;

  @Option(names = "--delete", description = "Publish DELETE events for the files instead.")
  boolean delete;

  @Option(names = "--max-inline-bytes", defaultValue = "524288",
      description = "Larger files travel by file: reference (default: ${DEFAULT-VALUE}).")
  long maxInlineBytes;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Topic name prefix of the target deployment.")
  String topicPrefix;

  @Mixin Target target;

  @Override
  public Integer call() throws Exception {
    List<Path[]> work = new ArrayList<>();
    int skipped = 0;
    for (Path root : paths) {
      if (!Files.exists(root)) {
        throw new CliException("no such file or directory: " + root);
      }
      for (Path file : FileEvents.files(root)) {
        if (FileEvents.isHidden(file)) {
          skipped++;
        } else {
          work.add(new Path[] {root, file});
        }
      }
    }
    FileEvents events = new FileEvents(tenant, maxInlineBytes);
    int published = 0;
    int errors = 0;
    ProgressBar progress = new ProgressBar(System.err, delete ? "deleting" : "publishing", work.size());
    try (DocumentPublisher publisher = new DocumentPublisher(target.bootstrap(), TopicCatalogue.withPrefix(topicPrefix), lane)) {
      List<Future<?>> sends = new ArrayList<>();
      for (Path[] item : work) {
        try {
          DocumentEvent event = delete ? events.delete(item[0], item[1]) : events.upsert(item[0], item[1]);
          sends.add(publisher.publish(event));
        } catch (java.io.IOException e) {
          errors++;
          System.err.println("cannot read " + item[1] + ": " + e.getMessage());
        }
      }
      for (Future<?> send : sends) {
        try {
          send.get();
          published++;
        } catch (ExecutionException e) {
          errors++;
          System.err.println("send failed: " + e.getCause().getMessage());
        }
        progress.update(published + errors);
      }
    }
    System.out.printf("published %d, skipped %d (hidden), errors %d (tenant %s, %s lane%s)%n",
        published, skipped, errors, tenant, lane, delete ? ", DELETE" : "");
    return errors == 0 ? 0 : 1;
  }
}
