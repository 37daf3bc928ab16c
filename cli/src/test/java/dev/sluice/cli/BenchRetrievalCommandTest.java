package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The retrieval benchmark end to end on a tiny collection: real ingest path, real model, real Lucene index. */
class BenchRetrievalCommandTest {

  @TempDir Path dir;

  @Test
  void measuresEveryModeAndReusesTheEmbeddingsOnTheNextRun() throws IOException {
    Path dataset = Files.createDirectories(dir.resolve("tiny"));
    Files.writeString(dataset.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "Sourdough starters", "text": "Feed the starter flour and water daily to keep the yeast active."}
        {"_id": "d2", "title": "Glacier retreat", "text": "Alpine glaciers lose ice mass as summers grow warmer."}
        {"_id": "d3", "title": "Tidal power", "text": "Turbines in estuaries turn the rise and fall of tides into electricity."}
        """);
    Files.writeString(dataset.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "how do I keep a sourdough starter alive"}
        {"_id": "q2", "text": "why are alpine glaciers melting"}
        {"_id": "q3", "text": "an unjudged query"}
        """);
    Files.writeString(dataset.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
    Path work = dir.resolve("work");

    JsonNode first = run(dataset, work);
    JsonNode second = run(dataset, work);

    assertThat(first.path("results")).hasSize(3);
    for (JsonNode result : first.path("results")) {
      assertThat(result.path("queries").asInt()).as(result.path("mode").asText()).isEqualTo(2);
      assertThat(result.path("ndcg@10").asDouble()).as(result.path("mode").asText()).isEqualTo(1.0);
    }
    assertThat(second.path("results")).isEqualTo(first.path("results"));
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .singleElement().satisfies(name -> assertThat(name).startsWith("retrieval-tiny-").endsWith(".bin"));
    }
  }

  private static JsonNode run(Path dataset, Path work) throws IOException {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new BenchRetrievalCommand()).setOut(new PrintWriter(out));
    int exit = command.execute("--dataset", dataset.toString(), "--work-dir", work.toString(), "--json");
    assertThat(exit).isZero();
    return new ObjectMapper().readTree(out.toString());
  }
}
