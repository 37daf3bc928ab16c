package dev.sluice.cli;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DocumentEvent;
import dev.sluice.ingest.DocumentIngestor;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.ingest.TextChunker;
import dev.sluice.runtime.SettingsSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BEIR collection as the pipeline would index it, embedded once and cached on disk: every corpus
 * line becomes the document event {@code sluice publish --jsonl} sends ({@link JsonlEvents}: title +
 * " " + text, text/plain, the title kept for the payload), goes through the ingest stage's own
 * document path ({@link DocumentIngestor}: Tika, cleaning, chunking with the model's tokenizer under
 * the configured chunking policy), and each chunk text is embedded as the embed worker embeds it;
 * every judged query is embedded as the query service embeds it.
 *
 * <p>The cache file is named by a hash of the corpus and queries files, the model and the chunking
 * policy, so a change to any of them embeds again rather than reusing stale vectors.
 *
 * @param modelId the model id the points carry
 * @param chunks every chunk of every document, in corpus order
 * @param queryVectors the judged queries' vectors, in the order of {@link BeirDataset#judgedQueries()}
 * @param rejected documents the ingest path refused (they have no chunk)
 */
record RetrievalWorkload(String modelId, List<Chunk> chunks, List<float[]> queryVectors, int rejected) {

  /** Bumped whenever the file layout changes. */
  private static final int FORMAT = 1;
  private static final int EMBED_BATCH = 32;
  private static final String TENANT = "bench";

  /**
   * One chunk as ingest cut it.
   *
   * @param title the document's title, as its points carry it
   */
  record Chunk(String docId, Optional<String> title, int ordinal, String section, String text, float[] vector) {}

  /**
   * Loads the workload of {@code dataset} for {@code model} from {@code cacheDir}, or computes and
   * caches it (minutes: embedding runs at about 30 chunks/s on two cores).
   */
  static RetrievalWorkload load(Path dataset, BeirDataset data, String model, Path cacheDir) throws IOException {
    IngestConfig config = ingestConfig(model);
    String key = cacheKey(dataset, model, config);
    Path cache = cacheDir.resolve("retrieval-" + dataset.toAbsolutePath().normalize().getFileName() + "-" + key + ".bin");
    if (Files.isRegularFile(cache)) {
      log("reusing chunks and vectors from %s", cache);
      return read(cache);
    }
    RetrievalWorkload computed = compute(dataset, data, config);
    Files.createDirectories(cacheDir);
    Path partial = cacheDir.resolve(cache.getFileName() + ".partial");
    write(computed, partial);
    Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log("cached chunks and vectors in %s", cache);
    return computed;
  }

  // Parsing in threads: a child JVM per parse would only slow a tool that parses plain text.
  private static IngestConfig ingestConfig(String model) {
    Map<String, String> overrides = Map.of(IngestConfig.PARSE_ISOLATION, "thread", IngestConfig.MODEL, model);
    return IngestConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides));
  }

  private static RetrievalWorkload compute(Path dataset, BeirDataset data, IngestConfig config) throws IOException {
    Path corpus = dataset.resolve("corpus.jsonl");
    JsonlEvents events = new JsonlEvents(TENANT, corpus);
    List<Chunk> unembedded = new ArrayList<>();
    int rejected = 0;
    try (EmbeddingModel model = ModelCatalogue.load(config.modelName(), ModelCatalogue.DEFAULT_WINDOW_TOKENS);
        DocumentIngestor ingestor = DocumentIngestor.open(config, model.tokenizer());
        Embedder embedder = model.newEmbedder();
        BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      ProgressBar chunking = new ProgressBar(System.err, "chunking", data.corpusIds().size());
      int lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        DocumentEvent event;
        try {
          event = events.event(line, false);
        } catch (JsonlEvents.BadLine e) {
          rejected++;
          continue;
        }
        byte[] content = bytes(event.getContent());
        DocumentIngestor.Outcome outcome =
            ingestor.ingest(TENANT, content, event.getDocId(), Optional.ofNullable(event.getContentType()));
        if (outcome instanceof DocumentIngestor.Ingested doc) {
          // As ChunkRecords: the publisher's title wins over one found in the document.
          Optional<String> title = Optional.ofNullable(event.getTitle()).or(doc::title);
          List<TextChunker.ChunkText> chunks = doc.chunks();
          for (int i = 0; i < chunks.size(); i++) {
            unembedded.add(new Chunk(event.getDocId(), title, i, chunks.get(i).section(), chunks.get(i).text(), null));
          }
        } else {
          rejected++;
        }
        chunking.update(++lineNumber);
      }
      List<Chunk> chunks = embed(embedder, unembedded);
      List<BeirDataset.JudgedQuery> queries = data.judgedQueries();
      ProgressBar querying = new ProgressBar(System.err, "embedding queries", queries.size());
      List<float[]> queryVectors = new ArrayList<>(queries.size());
      for (BeirDataset.JudgedQuery query : queries) {
        queryVectors.add(embedder.embedQuery(query.text()));
        querying.update(queryVectors.size());
      }
      return new RetrievalWorkload(model.modelId(), chunks, queryVectors, rejected);
    }
  }

  private static List<Chunk> embed(Embedder embedder, List<Chunk> chunks) {
    ProgressBar progress = new ProgressBar(System.err, "embedding chunks", chunks.size());
    List<Chunk> embedded = new ArrayList<>(chunks.size());
    for (int from = 0; from < chunks.size(); from += EMBED_BATCH) {
      List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + EMBED_BATCH));
      List<float[]> vectors = embedder.embedPassages(batch.stream().map(Chunk::text).toList());
      for (int i = 0; i < batch.size(); i++) {
        Chunk c = batch.get(i);
        embedded.add(new Chunk(c.docId(), c.title(), c.ordinal(), c.section(), c.text(), vectors.get(i)));
      }
      progress.update(embedded.size());
    }
    return embedded;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static String cacheKey(Path dataset, String model, IngestConfig config) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(("format " + FORMAT + "\nmodel " + model + "\npolicy " + config.chunking().defaults() + "\n")
          .getBytes(StandardCharsets.UTF_8));
      for (String file : List.of("corpus.jsonl", "queries.jsonl", "qrels.tsv")) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dataset.resolve(file)))) {
          byte[] buffer = new byte[1 << 16];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void write(RetrievalWorkload w, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(FORMAT);
      out.writeUTF(w.modelId());
      out.writeInt(w.rejected());
      out.writeInt(w.chunks().size());
      for (Chunk c : w.chunks()) {
        out.writeUTF(c.docId());
        out.writeBoolean(c.title().isPresent());
        if (c.title().isPresent()) {
          writeLong(out, c.title().get());
        }
        out.writeInt(c.ordinal());
        writeLong(out, c.section());
        writeLong(out, c.text());
        writeVector(out, c.vector());
      }
      out.writeInt(w.queryVectors().size());
      for (float[] v : w.queryVectors()) {
        writeVector(out, v);
      }
    }
  }

  private static RetrievalWorkload read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != FORMAT) {
        throw new CliException(file + " is in another format; delete it to embed again");
      }
      String modelId = in.readUTF();
      int rejected = in.readInt();
      int n = in.readInt();
      List<Chunk> chunks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String docId = in.readUTF();
        Optional<String> title = in.readBoolean() ? Optional.of(readLong(in)) : Optional.empty();
        chunks.add(new Chunk(docId, title, in.readInt(), readLong(in), readLong(in), readVector(in)));
      }
      int q = in.readInt();
      List<float[]> queries = new ArrayList<>(q);
      for (int i = 0; i < q; i++) {
        queries.add(readVector(in));
      }
      return new RetrievalWorkload(modelId, chunks, queries, rejected);
    }
  }

  // writeUTF stops at 64 KB; a chunk's text is far shorter, but a title need not be.
  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readLong(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }

  private static void writeVector(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    for (float x : v) {
      out.writeFloat(x);
    }
  }

  private static float[] readVector(DataInputStream in) throws IOException {
    float[] v = new float[in.readInt()];
    for (int d = 0; d < v.length; d++) {
      v[d] = in.readFloat();
    }
    return v;
  }

  private static void log(String format, Object... args) {
    System.err.printf("bench retrieval: " + format + "%n", args);
  }
}
