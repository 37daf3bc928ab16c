package dev.sluice.cli;

import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.indexer.DurationSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice purge}: hard-deletes the points soft-deleted longer ago than {@code --older-than}
 * from the Lucene index of a data dir. A running Sluice (local mode or the index worker) owns the
 * index's single writer and purges on its own schedule ({@code index.purge.retention}, {@code
 * index.purge.interval}); this command is for a stopped instance, and says so when the index is in use.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
    description = {"Hard-delete points soft-deleted longer ago than --older-than (a stopped instance's index).",
        "A running Sluice purges by itself (index.purge.retention, default 72h); stop it to purge by hand."})
final class PurgeCommand implements Callable<Integer> {

  @Option(names = "--older-than", defaultValue = "72h", paramLabel = "DURATION",
      description = "Purge points deleted longer ago than this: 72h, 30m, 7d, PT12H... (default: ${DEFAULT-VALUE}).")
  String olderThan;

  @Option(names = "--data-dir", defaultValue = "./sluice-data", description = "Data dir of a stopped 'sluice local' (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--index-dir", description = "The index directory itself (an index worker's index.dir), instead of DATA_DIR/index.")
  Path indexDir;

  @Override
  public Integer call() {
    Duration retention;
    try {
      retention = DurationSetting.parse(olderThan);
    } catch (IllegalArgumentException e) {
      throw new CliException("--older-than: " + e.getMessage());
    }
    if (retention.isNegative()) {
      throw new CliException("--older-than must not be negative");
    }
    Path root = indexDir != null ? indexDir : dataDir.resolve("index");
    Path points = IndexLayout.points(root);
    if (!Files.isDirectory(points)) {
      throw new CliException("no index at " + points + " (pass the --data-dir of a Sluice instance, or --index-dir)");
    }
    Instant cutoff = Instant.now().minus(retention);
    LuceneVectorIndex index;
    try {
      index = LuceneVectorIndex.openWritable(points);
    } catch (IllegalStateException e) {
      throw new CliException("the index in " + root + " is in use by a running Sluice (sluice local or an index worker), "
          + "which purges it by itself every index.purge.interval; stop it to purge by hand");
    }
    try (index) {
      long live = index.count();
      long purged = index.purgeDeleted(cutoff);
      index.commit();
      System.out.printf("purged %d points soft-deleted before %s; %d live points remain%n", purged, cutoff, live);
    }
    return 0;
  }
}
