package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.TopicCatalogue;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice status}: per-stage lag, and the index counts of the token's tenant. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show per-stage consumer lag and the index counts of the token's tenant.",
        "pending = total lag of all stages; 0 means everything published so far has been processed.",
        "Counts need a token (--token, SLUICE_TOKEN, DATA_DIR/token); without one only the lag is shown."})
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--json", description = "Print JSON: {pending, stages, documents, points}.")
  boolean json;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Topic and application-id prefix of the deployment.")
  String topicPrefix;

  @Mixin Target target;

  @Override
  public Integer call() throws Exception {
    TopicCatalogue topics = TopicCatalogue.withPrefix(topicPrefix);
    PipelineLag.Report lag = PipelineLag.measure(target.bootstrap(), PipelineLag.stages(topicPrefix, topics));
    // Lag is the pipeline's, all tenants; counts are the token's tenant's (the API never says more).
    Optional<String> token = target.findToken();
    JsonNode stats = token.isPresent() ? new ApiClient(target.url(), token.get()).get("/stats") : JSON.createObjectNode();
    ObjectNode out = JSON.createObjectNode();
    out.put("pending", lag.total());
    ObjectNode stages = out.putObject("stages");
    lag.byStage().forEach((stage, partitions) -> {
      ObjectNode s = stages.putObject(stage);
      s.put("lag", lag.stage(stage));
      ObjectNode parts = s.putObject("partitions");
      partitions.forEach(parts::put);
    });
    out.set("documents", stats.path("documents"));
    out.put("points", stats.path("points").asLong());
    if (json) {
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      return 0;
    }
    System.out.printf("pending: %d%n", lag.total());
    lag.byStage().keySet().forEach(stage -> System.out.printf("  %-7s lag %d%n", stage, lag.stage(stage)));
    if (stats.isEmpty()) {
      System.out.println("documents and points: no token (pass --token to see your tenant's counts)");
      return 0;
    }
    JsonNode d = stats.path("documents");
    System.out.printf("documents: %d indexed, %d failed, %d deleted, %d pending%n",
        d.path("indexed").asLong(), d.path("failed").asLong(), d.path("deleted").asLong(), d.path("pending").asLong());
    System.out.printf("points: %d%n", stats.path("points").asLong());
    return 0;
  }
}
