package dev.sluice.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code sluice chaos} at its CI size (its defaults), as a user runs it: the four services as separate JVMs on an
 * embedded broker, a clean run, two trials that {@code kill -9} a service mid-ingest, one broker
 * restart and one index directory made unwritable for 30 s. Every trial must end with the clean
 * run's index (point ids, versions, deleted flags, document states), no dead letter of a kind the
 * clean run does not have and none missing, and a query service that answers as the index says.
 */
class ChaosIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void faultsMidIngestEndWhereACleanRunEnds() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ChaosCommand());
    cli.setOut(new PrintWriter(out, true));
    // Progress goes to stderr with --json: shown live in the build log.
    cli.setErr(new PrintWriter(System.err, true));
    // Under target/, so that a failing run's logs and index stay for the build's artifacts.
    Path work = Path.of("target", "chaos-it").toAbsolutePath();
    deleteTree(work);
    long begin = System.nanoTime();

    // A run of 100 documents drains within about a minute of its last fault here, even under load:
    // five minutes tells a stalled pipeline from a slow one without holding the build for ten.
    int exit = cli.execute("--work-dir", work.toString(), "--drain-timeout", "300", "--json");

    System.err.printf("ChaosIT: sluice chaos took %d s%n", Duration.ofNanos(System.nanoTime() - begin).toSeconds());
    JsonNode report = JSON.readTree(out.toString());
    JsonNode totals = report.path("totals");
    assertThat(report.path("clean").path("drained").asBoolean()).as("the clean run drained").isTrue();
    assertThat(report.path("clean").path("deviations")).as("the clean run holds what the workload implies").isEmpty();
    assertThat(totals.path("trialsByScenario").path("kill").asInt()).isEqualTo(2);
    assertThat(totals.path("trialsByScenario").path("broker-restart").asInt()).isEqualTo(1);
    assertThat(totals.path("trialsByScenario").path("index-readonly").asInt()).isEqualTo(1);
    List<String> kinds = new ArrayList<>();
    report.path("trials").forEach(t -> t.path("faults").forEach(f -> kinds.add(f.path("kind").asText())));
    assertThat(kinds).as("every planned fault struck").containsExactly("kill", "kill", "broker-restart", "index-readonly");
    assertThat(totals.path("mismatches").asInt()).as("documents unlike the clean run").isZero();
    assertThat(totals.path("lost").asLong()).as("points lost").isZero();
    assertThat(totals.path("duplicated").asLong()).as("points duplicated").isZero();
    assertThat(totals.path("spuriousDeadLetters").asInt()).as("spurious dead letters").isZero();
    assertThat(totals.path("missingDeadLetters").asInt()).as("missing dead letters").isZero();
    assertThat(totals.path("queryMismatches").asInt()).as("query answers unlike the index").isZero();
    // A service that exits on a fatal failure and is started again is how the deployment recovers
    // (restart: unless-stopped): reported, not failed on.
    report.path("trials").forEach(t -> t.path("unexpectedExits").forEach(e -> System.err.println("ChaosIT: exited and restarted: " + e.asText())));
    assertThat(totals.path("failedTrials").asInt()).as("failed trials:\n%s", report.path("trials").toPrettyString()).isZero();
    assertThat(exit).isZero();
    deleteTree(work);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
