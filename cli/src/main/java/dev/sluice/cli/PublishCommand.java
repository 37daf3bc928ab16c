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

/**
 * {@code sluice publish PATH... --tenant T}: one UPSERT (or DELETE) event per file; or {@code sluice
 * publish --jsonl FILE --tenant T}: one per line of a BEIR-style JSON-lines corpus.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish files as document events, one per file, or the documents of a JSON-lines corpus.",
        "docId = path relative to PATH (the file name when PATH is a file), version = last-modified millis.",
        "With --jsonl: one document per line {\"_id\", \"title\", \"text\"}; docId = _id, content = title + ' ' + text,",
        "version = the file's last-modified millis."})
final class PublishCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories to publish.")
  List<Path> paths;

  @Option(names = "--jsonl", paramLabel = "FILE", description = "A JSON-lines corpus (BEIR corpus.jsonl) to publish instead of files.")
  Path jsonl;

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
    if (jsonl != null) {
      if (paths != null && !paths.isEmpty()) {
        throw new CliException("give either PATH... or --jsonl FILE, not both");
      }
      JsonlPublish.Summary summary = new JsonlPublish(jsonl, tenant, delete).run(target.bootstrap(), TopicCatalogue.withPrefix(topicPrefix), lane);
      System.out.printf("published %d, skipped %d (not a document), errors %d (tenant %s, %s lane%s, from %s)%n",
          summary.published(), summary.skipped(), summary.errors(), tenant, lane, delete ? ", DELETE" : "", jsonl);
      return summary.errors() == 0 ? 0 : 1;
    }
    if (paths == null || paths.isEmpty()) {
      throw new CliException("nothing to publish: give PATH... or --jsonl FILE");
    }
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
