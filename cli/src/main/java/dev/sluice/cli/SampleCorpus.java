package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The small sample corpus bundled in the CLI jar (plain text, Markdown and HTML), extracted to the
 * data dir so that it is published like any directory of files.
 */
final class SampleCorpus {
  static final List<String> FILES = List.of(
      "kafka-streams.md", "lucene-hnsw.txt", "onnx-runtime.html", "sourdough.txt", "tide-pools.md", "solar-eclipse.html");

  private SampleCorpus() {}

  static Path extract(Path target) {
    try {
      Files.createDirectories(target);
      for (String name : FILES) {
        Path file = target.resolve(name);
        if (Files.exists(file)) {
          continue;  // keep the modification time, so a restart republishes the same versions
        }
        try (InputStream in = SampleCorpus.class.getResourceAsStream("/sample/" + name)) {
          if (in == null) {
            throw new IllegalStateException("sample file " + name + " missing from the jar");
          }
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the sample corpus to " + target, e);
    }
  }
}
