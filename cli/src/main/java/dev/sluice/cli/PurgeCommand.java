package dev.sluice.cli;

import dev.sluice.index.backend.IndexBackendConfig;
import dev.sluice.index.backend.IndexBackends;
import dev.sluice.index.backend.OpenIndex;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.runtime.DurationSetting;
import dev.sluice.runtime.FatalServiceException;
import dev.sluice.runtime.SettingsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice purge}: hard-deletes the points soft-deleted longer ago than {@code --older-than},
 * and the staged leftovers of versions that never completed, from the configured index. On Lucene
 * a running Sluice (local mode or the index worker) owns the index's single writer and purges on
 * its own schedule ({@code index.purge.retention}, {@code index.purge.interval}), so this command is
 * for a stopped instance and says so when the index is in use; Qdrant can be purged at any time.
 * The backend comes from the same settings the services read ({@code SLUICE_CONFIG}, {@code
 * SLUICE_*}), overridden by the flags.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
    description = {"Hard-delete points soft-deleted longer ago than --older-than, and staged leftovers of incomplete versions.",
        "Lucene: a running Sluice purges by itself (index.purge.retention, default 72h); stop it to purge by hand.",
        "Qdrant: safe while the services run."})
final class PurgeCommand implements Callable<Integer> {

  @Option(names = "--older-than", defaultValue = "72h", paramLabel = "DURATION",
      description = "Purge points deleted longer ago than this: 72h, 30m, 7d, PT12H... (default: ${DEFAULT-VALUE}).")
  String olderThan;

  @Option(names = "--data-dir", defaultValue = "./sluice-data", description = "Data dir of a stopped 'sluice local' (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--index-dir", description = "The index directory itself (an index worker's index.dir), instead of DATA_DIR/index.")
  Path indexDir;

  @Option(names = "--index", paramLabel = "lucene|qdrant", description = "Vector index (default: the index.backend setting, else lucene).")
  String index;

  @Option(names = "--qdrant-url", paramLabel = "URL", description = "Qdrant's gRPC endpoint (default: the qdrant.url setting).")
  String qdrantUrl;

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
    IndexBackendConfig backend = backend();
    if (backend.backend() == IndexBackendConfig.Backend.LUCENE && !Files.isDirectory(IndexLayout.points(backend.indexDir()))) {
      throw new CliException("no index at " + IndexLayout.points(backend.indexDir())
          + " (pass the --data-dir of a Sluice instance, or --index-dir)");
    }
    Instant cutoff = Instant.now().minus(retention);
    OpenIndex opened;
    try {
      opened = IndexBackends.openForWriting(backend);
    } catch (FatalServiceException e) {
      if (backend.backend() == IndexBackendConfig.Backend.LUCENE) {
        throw new CliException("the index in " + backend.indexDir() + " is in use by a running Sluice (sluice local or an "
            + "index worker), which purges it by itself every index.purge.interval; stop it to purge by hand");
      }
      throw new CliException(e.getMessage());
    }
    try (opened) {
      long purged = opened.index().purgeDeleted(cutoff);
      opened.index().commit();
      System.out.printf("purged %d points soft-deleted (or left staged) before %s from %s; %d live points remain%n", purged,
          cutoff, opened.description(), opened.index().count());
    }
    return 0;
  }

  private IndexBackendConfig backend() {
    Map<String, String> overrides = new HashMap<>();
    Path root = indexDir != null ? indexDir : dataDir.resolve("index");
    overrides.put(IndexBackendConfig.INDEX_DIR, root.toString());
    if (index != null) {
      overrides.put(IndexBackendConfig.BACKEND, index);
    }
    if (qdrantUrl != null) {
      overrides.put(IndexBackendConfig.QDRANT_URL, qdrantUrl);
    }
    return IndexBackendConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides));
  }
}
