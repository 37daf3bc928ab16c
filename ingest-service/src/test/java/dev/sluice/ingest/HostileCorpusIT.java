package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.byReference;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus: every file under {@code test-documents/} in Tika's pdf, microsoft, html,
 * miscoffice, text and xml module test jars (broken, encrypted, enormous, mislabelled and exotic
 * files), published by reference through the ingest topology with real Tika in parse worker JVMs and
 * the real tokenizer. Each must end as chunks and a manifest, or as exactly one dead letter with a
 * reason; never both, never nothing; and the run must finish.
 */
class HostileCorpusIT {
  private static final Pattern MODULE = Pattern.compile("tika-parser-([a-z]+)-module-.*-tests\\.jar");

  @TempDir Path temp;

  private record Outcome(String docId, String result, long millis) {}

  @Test
  void everyTikaTestDocumentEndsIndexedOrDeadLetteredWithAReason() throws IOException {
    Path corpus = Files.createDirectories(temp.resolve("corpus"));
    List<Path> files = extractCorpus(corpus);
    assertThat(files).as("the six test jars hold about 490 documents").hasSizeGreaterThan(400);

    List<String> problems = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    long started = System.nanoTime();
    try (EmbeddingModel model = ModelCatalogue.loadDefault();
        IngestDriver ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"),
            Map.of(IngestConfig.ALLOWED_ROOTS, corpus.toString()))) {
      for (Path file : files) {
        String docId = corpus.relativize(file).toString();
        long start = System.nanoTime();
        ingest.send(byReference(docId, 1, file.toUri().toString()).build());
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<ChunkTopicRecord> chunks = ingest.chunks.readValuesToList();
        List<DeadLetter> letters = ingest.dlq.readValuesToList();
        String result = judge(docId, chunks, letters, model, problems);
        outcomes.add(new Outcome(docId, result, millis));
      }
    }
    long totalSeconds = (System.nanoTime() - started) / 1_000_000_000;
    report(outcomes, totalSeconds);
    assertThat(problems).as("documents that did not end indexed or dead-lettered with a reason").isEmpty();
    assertThat(outcomes.stream().filter(o -> o.result().equals("indexed")).count()).as("most documents hold text").isGreaterThan(files.size() / 2);
  }

  /** "indexed" or the dead-letter reason; records what is wrong in {@code problems}. */
  private static String judge(String docId, List<ChunkTopicRecord> records, List<DeadLetter> letters, EmbeddingModel model, List<String> problems) {
    if (!records.isEmpty() && !letters.isEmpty()) {
      problems.add(docId + ": both chunks and a dead letter");
      return "both";
    }
    if (records.isEmpty() && letters.isEmpty()) {
      problems.add(docId + ": neither chunks nor a dead letter");
      return "nothing";
    }
    if (!letters.isEmpty()) {
      DeadLetter letter = letters.get(0);
      if (letters.size() > 1 || letter.getReason().isBlank() || letter.getMessage().isBlank() || !letter.getStage().equals("ingest")) {
        problems.add(docId + ": dead letters " + letters);
      }
      return letter.getReason();
    }
    if (!(records.get(records.size() - 1).getBody() instanceof DocumentManifest manifest)) {
      problems.add(docId + ": chunks without a closing manifest");
      return "no-manifest";
    }
    List<Chunk> chunks = records.subList(0, records.size() - 1).stream().map(r -> (Chunk) r.getBody()).toList();
    if (chunks.isEmpty() || !chunks.stream().map(Chunk::getChunkId).toList().equals(manifest.getChunkIds())) {
      problems.add(docId + ": manifest does not list exactly its " + chunks.size() + " chunks");
    }
    for (Chunk chunk : chunks) {
      if (chunk.getTokenCount() > 256 || model.tokenizer().countTokens(chunk.getText()) != chunk.getTokenCount() || chunk.getText().isBlank()) {
        problems.add(docId + ": chunk " + chunk.getOrdinal() + " breaks the budget or is blank (" + chunk.getTokenCount() + " tokens)");
      }
    }
    return "indexed";
  }

  private static void report(List<Outcome> outcomes, long totalSeconds) {
    Map<String, Integer> counts = new TreeMap<>();
    outcomes.forEach(o -> counts.merge(o.result(), 1, Integer::sum));
    System.out.printf("%nhostile corpus: %d documents in %d s%n", outcomes.size(), totalSeconds);
    counts.forEach((result, count) -> System.out.printf("  %-18s %4d%n", result, count));
    System.out.println("slowest:");
    outcomes.stream().sorted((a, b) -> Long.compare(b.millis(), a.millis())).limit(8)
        .forEach(o -> System.out.printf("  %6d ms  %-16s %s%n", o.millis(), o.result(), o.docId()));
  }

  /** Copies the test-documents/ entries of the six Tika test jars on the classpath to {@code target}. */
  private static List<Path> extractCorpus(Path target) throws IOException {
    List<Path> files = new ArrayList<>();
    Enumeration<URL> roots = HostileCorpusIT.class.getClassLoader().getResources("test-documents/");
    for (URL root : Collections.list(roots)) {
      if (!(root.openConnection() instanceof JarURLConnection connection)) {
        continue;
      }
      Path jarPath = Path.of(connection.getJarFileURL().getPath());
      Matcher module = MODULE.matcher(jarPath.getFileName().toString());
      if (!module.matches()) {
        continue;
      }
      try (JarFile jar = new JarFile(jarPath.toFile())) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          if (entry.isDirectory() || !entry.getName().startsWith("test-documents/")) {
            continue;
          }
          Path file = target.resolve(module.group(1)).resolve(entry.getName().substring("test-documents/".length())).normalize();
          Files.createDirectories(file.getParent());
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, file);
          }
          files.add(file);
        }
      }
    }
    Collections.sort(files);
    return files;
  }
}
