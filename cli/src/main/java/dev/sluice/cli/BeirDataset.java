package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval test collection in BEIR format: {@code corpus.jsonl} ({@code _id, title, text}),
 * {@code queries.jsonl} ({@code _id, text}) and {@code qrels.tsv} ({@code query-id, corpus-id,
 * score}, with or without a header line).
 *
 * @param corpusIds document ids, in file order
 * @param queries query id to text, in file order
 * @param qrels query id to judged documents and their grades; grades of 0 or less are not relevant
 */
record BeirDataset(List<String> corpusIds, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One query to run: its text and the grades of its judged documents. */
  record JudgedQuery(String id, String text, Map<String, Integer> grades) {}

  BeirDataset {
    corpusIds = List.copyOf(corpusIds);
    queries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    qrels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(qrels));
  }

  static BeirDataset load(Path dir) {
    Path corpus = dir.resolve("corpus.jsonl");
    Path queries = dir.resolve("queries.jsonl");
    Path qrels = dir.resolve("qrels.tsv");
    for (Path file : List.of(corpus, queries, qrels)) {
      if (!Files.isRegularFile(file)) {
        throw new CliException("not a BEIR dataset: " + file + " is missing (expected corpus.jsonl, queries.jsonl, qrels.tsv)");
      }
    }
    List<String> ids = new ArrayList<>();
    jsonLines(corpus, (n, doc) -> ids.add(doc.path("_id").asText()));
    Map<String, String> texts = new LinkedHashMap<>();
    jsonLines(queries, (n, q) -> texts.put(q.path("_id").asText(), q.path("text").asText()));
    return new BeirDataset(ids, texts, readQrels(qrels));
  }

  /**
   * The queries that have at least one relevant document, in queries-file order; as in BEIR and
   * trec_eval, a query without judgments says nothing about the system and is left out.
   */
  List<JudgedQuery> judgedQueries() {
    List<JudgedQuery> judged = new ArrayList<>();
    queries.forEach((id, text) -> {
      Map<String, Integer> grades = qrels.getOrDefault(id, Map.of());
      if (grades.values().stream().anyMatch(g -> g > 0)) {
        judged.add(new JudgedQuery(id, text, grades));
      }
    });
    return judged;
  }

  private interface LineHandler {
    void accept(int lineNumber, JsonNode value);
  }

  private static void jsonLines(Path file, LineHandler handler) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode value = JSON.readTree(line);
        if (!value.hasNonNull("_id")) {
          throw new CliException(file + " line " + n + ": no \"_id\"");
        }
        handler.accept(n, value);
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Map<String, Map<String, Integer>> readQrels(Path file) {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || (i == 0 && line.startsWith("query-id"))) {
          continue;
        }
        String[] cols = line.split("\t");
        if (cols.length < 3) {
          throw new CliException(file + " line " + (i + 1) + ": expected query-id, corpus-id, score separated by tabs");
        }
        try {
          qrels.computeIfAbsent(cols[0], q -> new LinkedHashMap<>()).put(cols[1], Integer.parseInt(cols[2].strip()));
        } catch (NumberFormatException e) {
          throw new CliException(file + " line " + (i + 1) + ": score '" + cols[2] + "' is not an integer");
        }
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    return qrels;
  }
}
