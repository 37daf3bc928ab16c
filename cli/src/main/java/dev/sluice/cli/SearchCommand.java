package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice search "text"}: queries the HTTP API with the caller's token. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search the index through the query API.")
final class SearchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "TEXT", description = "What to search for.")
  String text;

  @Option(names = "--top-k", defaultValue = "10", description = "Number of results, 1-50 (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--mode", description = "dense, keyword or hybrid (default: the service's, hybrid).")
  String mode;

  @Option(names = "--json", description = "Print the API's JSON response.")
  boolean json;

  @Mixin Target target;

  @Override
  public Integer call() throws Exception {
    var body = new java.util.LinkedHashMap<String, Object>(Map.of("query", text, "topK", topK));
    if (mode != null) {
      body.put("mode", mode);
    }
    ApiClient api = new ApiClient(target.url(), target.token());
    JsonNode response = api.post("/v1/search", JSON.writeValueAsString(body));
    if (json) {
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
      return 0;
    }
    int rank = 1;
    for (JsonNode hit : response.path("results")) {
      System.out.printf("%2d. %.4f  %s  (v%s)%n    %s%n", rank++, hit.path("score").asDouble(), hit.path("docId").asText(),
          hit.path("docVersion").asText(), abbreviate(hit.path("text").asText(), 200));
    }
    if (rank == 1) {
      System.out.println("no results");
    }
    System.out.printf("model %s, %d ms%n", response.path("modelId").asText(), response.path("tookMs").asLong());
    return 0;
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
