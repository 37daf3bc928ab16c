package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The files {@code sluice bench pipeline} publishes: a directory as given, or one the bench writes
 * itself so that a figure can be reproduced from the command alone: the first N SciFact abstracts as
 * {@code <_id>.txt} files (title, a space, the abstract), or every file under {@code test-documents/}
 * of a Tika test jar (e.g. {@code tika-parser-pdf-module-<version>-tests.jar}: Tika's PDF test
 * documents). A generated directory is rewritten only when its content differs, so its files keep
 * their modification times across runs.
 *
 * @param dir the root the files are published from (document ids are paths relative to it)
 * @param files the files to publish, sorted, hidden files left out as {@code sluice publish} does
 */
record BenchPipelineCorpus(Path dir, List<Path> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEST_DOCUMENTS = "test-documents/";

  BenchPipelineCorpus {
    files = List.copyOf(files);
  }

  static BenchPipelineCorpus of(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new CliException(dir + " is not a directory");
    }
    Path root = dir.toAbsolutePath().normalize();
    List<Path> files = FileEvents.files(root).stream().filter(f -> !FileEvents.isHidden(f)).toList();
    if (files.isEmpty()) {
      throw new CliException("no files under " + root);
    }
    return new BenchPipelineCorpus(root, files);
  }

  /** The first {@code count} documents of a BEIR {@code corpus.jsonl} as text files under {@code target}. */
  static BenchPipelineCorpus scifactText(Path corpusJsonl, int count, Path target) throws IOException {
    if (count < 1) {
      throw new CliException("--scifact-txt needs at least 1 document");
    }
    if (!Files.isRegularFile(corpusJsonl)) {
      throw new CliException("--scifact " + corpusJsonl + " is not a file (the BEIR SciFact corpus.jsonl)");
    }
    Files.createDirectories(target);
    int written = 0;
    try (BufferedReader lines = Files.newBufferedReader(corpusJsonl, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null && written < count; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc = JSON.readTree(line);
        String id = doc.path("_id").asText();
        if (!id.matches("[A-Za-z0-9._-]+")) {
          throw new CliException(corpusJsonl + ": document id '" + id + "' cannot be a file name");
        }
        writeIfChanged(target.resolve(id + ".txt"), (doc.path("title").asText() + " " + doc.path("text").asText()).getBytes(StandardCharsets.UTF_8));
        written++;
      }
    }
    if (written < count) {
      throw new CliException(corpusJsonl + " holds " + written + " documents, fewer than --scifact-txt " + count);
    }
    return of(target);
  }

  /** Every file under {@code test-documents/} of a Tika test jar, extracted under {@code target}. */
  static BenchPipelineCorpus tikaTestDocuments(Path jar, Path target) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new CliException("--tika-tests " + jar + " is not a file (a Tika *-tests.jar)");
    }
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
    try (JarFile archive = new JarFile(jar.toFile())) {
      for (JarEntry entry : Collections.list(archive.entries())) {
        if (entry.isDirectory() || !entry.getName().startsWith(TEST_DOCUMENTS)) {
          continue;
        }
        Path file = root.resolve(entry.getName().substring(TEST_DOCUMENTS.length())).normalize();
        if (!file.startsWith(root)) {
          throw new CliException(jar + ": entry " + entry.getName() + " points outside its directory");
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          writeIfChanged(file, in.readAllBytes());
        }
      }
    }
    return of(root);
  }

  // Unchanged files keep their modification time, which is the version a publish gives them.
  private static void writeIfChanged(Path file, byte[] content) throws IOException {
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
      return;
    }
    Files.write(file, content);
  }
}
