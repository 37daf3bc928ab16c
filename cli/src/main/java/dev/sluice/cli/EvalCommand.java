package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice eval --dataset DIR --tenant T}: retrieval quality of a running Sluice on a BEIR-format
 * collection whose corpus the tenant holds. Every judged query goes through the real HTTP API; chunk
 * hits become documents at the rank of their best chunk.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Measure retrieval quality on a BEIR-format dataset (corpus.jsonl, queries.jsonl, qrels.tsv).",
        "Publish the corpus first: sluice publish --jsonl DIR/corpus.jsonl --tenant T, and wait for 'sluice status' pending 0.",
        "Prints nDCG@10, Recall@10, Recall@100, MRR@10 and query latency p50/p99."})
final class EvalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Documents sampled to check that the corpus is in the index before spending minutes on queries.
  private static final int COVERAGE_SAMPLE = 5;
  private static final int API_TOP_K = 50;

  /** Search modes, as the API names them. */
  enum Mode { dense, keyword, hybrid }

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "BEIR dataset directory.")
  Path dataset;

  @Option(names = "--tenant", required = true, description = "Tenant that holds the corpus; the token must be one of its tokens.")
  String tenant;

  @Option(names = "--mode", defaultValue = "hybrid", description = "dense, keyword or hybrid (default: ${DEFAULT-VALUE}).")
  Mode mode;

  @Option(names = "--top-k", defaultValue = "100",
      description = "Chunks asked per query (default: ${DEFAULT-VALUE}); above the API's limit (50 unless the service sets "
          + "search.max.top.k) it falls back to 50 and says so.")
  int topK;

  @Option(names = "--limit", description = "Run only the first N judged queries.")
  Integer limit;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Mixin Target target;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (topK < 1) {
      throw new CliException("--top-k must be at least 1");
    }
    BeirDataset data = BeirDataset.load(dataset);
    List<BeirDataset.JudgedQuery> queries = data.judgedQueries();
    if (limit != null) {
      queries = queries.subList(0, Math.min(limit, queries.size()));
    }
    if (queries.isEmpty()) {
      throw new CliException("no query of " + dataset + " has a relevant document in qrels.tsv");
    }
    EvalSearch api = new EvalSearch(target.url(), target.token());
    checkCoverage(api, data);
    if (topK < 100) {
      spec.commandLine().getErr().printf("sluice eval: --top-k %d: Recall@100 counts only the documents of the top %d chunks%n",
          topK, topK);
    }

    EvalReport.Builder report = new EvalReport.Builder();
    ProgressBar progress = new ProgressBar(System.err, "evaluating", queries.size());
    int asked = topK;
    for (BeirDataset.JudgedQuery query : queries) {
      EvalSearch.Answer answer;
      try {
        answer = api.search(query.text(), asked, mode.name());
      } catch (EvalSearch.Rejected e) {
        if (!e.code.equals("invalid-topK") || asked <= API_TOP_K) {
          throw new CliException("query " + query.id() + " refused: " + e.code + ": " + e.getMessage());
        }
        spec.commandLine().getErr().printf("sluice eval: the API refuses topK %d (%s); using %d, so Recall@100 counts only "
            + "the documents of the top %d chunks. Start the service with SLUICE_SEARCH_MAX_TOP_K=%d for the full figure.%n",
            asked, e.getMessage(), API_TOP_K, API_TOP_K, asked);
        asked = API_TOP_K;
        answer = api.search(query.text(), asked, mode.name());
      }
      report.add(query, answer);
      progress.update(report.count());
    }
    EvalReport result = report.build(dataset.toAbsolutePath().normalize().getFileName().toString(), tenant, mode.name(), asked);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson(JSON.createObjectNode())));
    } else {
      out.print(result.toText());
    }
    out.flush();
    return 0;
  }

  private void checkCoverage(EvalSearch api, BeirDataset data) throws InterruptedException {
    List<String> ids = data.corpusIds();
    if (ids.isEmpty()) {
      throw new CliException(dataset.resolve("corpus.jsonl") + " holds no document");
    }
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < COVERAGE_SAMPLE; i++) {
      String id = ids.get((int) ((long) i * (ids.size() - 1) / Math.max(1, COVERAGE_SAMPLE - 1)));
      if (!sample.contains(id)) {
        sample.add(id);
      }
    }
    int missing = 0;
    int notIndexed = 0;
    for (String id : sample) {
      var state = api.documentState(id);
      if (state.isEmpty()) {
        missing++;
      } else if (!state.get().equals("indexed")) {
        notIndexed++;
      }
    }
    if (missing == sample.size()) {
      throw new CliException(String.format(Locale.ROOT, "the corpus is not in tenant %s's index (none of %s found): publish it "
          + "with 'sluice publish --jsonl %s --tenant %s' and wait until 'sluice status' shows pending 0",
          tenant, sample, dataset.resolve("corpus.jsonl"), tenant));
    }
    if (missing + notIndexed > 0) {
      spec.commandLine().getErr().printf("sluice eval: %d of %d sampled corpus documents are not indexed yet; figures will be low%n",
          missing + notIndexed, sample.size());
    }
  }
}
