package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@code sluice bench pipeline} that need no pipeline: corpora, variants, and the arithmetic of the report. */
class BenchPipelineTest {
  @TempDir Path dir;

  @Test
  void scifactTextFilesAreTitleSpaceTextNamedByIdAndKeepTheirTimesWhenWrittenAgain() throws Exception {
    Path jsonl = dir.resolve("corpus.jsonl");
    Files.writeString(jsonl, """
        {"_id": "4983", "title": "White matter", "text": "Alterations of the architecture."}
        {"_id": "5836", "title": "Myelodysplasia", "text": "Stem cell malignancies."}
        {"_id": "7912", "title": "BC1 RNA", "text": "Short interspersed elements."}
        """);
    BenchPipelineCorpus corpus = BenchPipelineCorpus.scifactText(jsonl, 2, dir.resolve("txt"));

    assertThat(corpus.files()).extracting(p -> p.getFileName().toString()).containsExactly("4983.txt", "5836.txt");
    assertThat(Files.readString(corpus.files().get(0))).isEqualTo("White matter Alterations of the architecture.");
    FileTime old = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));
    Files.setLastModifiedTime(corpus.files().get(0), old);
    BenchPipelineCorpus.scifactText(jsonl, 2, dir.resolve("txt"));
    assertThat(Files.getLastModifiedTime(corpus.files().get(0))).isEqualTo(old);
    assertThatThrownBy(() -> BenchPipelineCorpus.scifactText(jsonl, 4, dir.resolve("txt4"))).hasMessageContaining("fewer than --scifact-txt 4");
  }

  @Test
  void aTikaTestJarGivesTheFilesUnderTestDocuments() throws Exception {
    Path jar = dir.resolve("tika-parser-pdf-module-3.2.3-tests.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      entry(out, "test-documents/testPDF.pdf", "%PDF-1.4");
      entry(out, "test-documents/sub/testXMP.xmp", "<x/>");
      entry(out, "org/apache/tika/SomeTest.class", "class");
    }
    BenchPipelineCorpus corpus = BenchPipelineCorpus.tikaTestDocuments(jar, dir.resolve("tika"));

    assertThat(corpus.files()).extracting(p -> corpus.dir().relativize(p).toString()).containsExactly("sub/testXMP.xmp", "testPDF.pdf");
  }

  private static void entry(JarOutputStream out, String name, String content) throws Exception {
    out.putNextEntry(new JarEntry(name));
    out.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }

  @Test
  void aVariantNamesServiceSettingsAndPassesThemAsEnvironmentVariables() {
    BenchPipelineVariant variant = BenchPipelineVariant.parse("wait50:embed.batch.max.wait.ms=50, streams.commit.interval.ms=1000");

    assertThat(variant.name()).isEqualTo("wait50");
    assertThat(variant.environment()).containsExactly(Map.entry("SLUICE_EMBED_BATCH_MAX_WAIT_MS", "50"),
        Map.entry("SLUICE_STREAMS_COMMIT_INTERVAL_MS", "1000"));
    assertThat(variant.jar()).isEmpty();
  }

  @Test
  void aVariantWithAnUnknownKeyABadValueOrNoSettingsIsRefused() {
    assertThatThrownBy(() -> BenchPipelineVariant.parse("x:embed.batch.max.wiat.ms=5")).hasMessageContaining("no service reads");
    assertThatThrownBy(() -> BenchPipelineVariant.parse("x:embed.batch.max.size=0")).hasMessageContaining("embed.batch.max.size");
    assertThatThrownBy(() -> BenchPipelineVariant.parse("x")).hasMessageContaining("sets nothing");
    assertThatThrownBy(() -> BenchPipelineVariant.parse("default:embed.batch.max.size=8")).hasMessageContaining("reference");
    assertThatThrownBy(() -> BenchPipelineVariant.build("old:" + dir.resolve("missing.jar"))).hasMessageContaining("is not a file");
  }

  @Test
  void theRatioOfARoundIsTakenWithinItAndTheMedianRunCarriesTheBreakdown() {
    BenchPipelineVariant other = BenchPipelineVariant.parse("wait50:embed.batch.max.wait.ms=50");
    BenchPipelineReport report = new BenchPipelineReport("corpus", 3, "all-minilm-l6-v2", List.of(BenchPipelineVariant.REFERENCE, other));
    // A slow machine in round 2 slows the limit and both runs alike.
    report.add(round(1, 10, 40, Map.of("default", 100.0, "wait50", 60.0)));
    report.add(round(2, 20, 80, Map.of("default", 210.0, "wait50", 130.0)));
    report.add(round(3, 10, 40, Map.of("default", 95.0, "wait50", 70.0)));

    assertThat(report.medianLimit()).isEqualTo(50.0);
    assertThat(report.medianSeconds("default")).isEqualTo(100.0);
    assertThat(report.medianRatio("default")).isEqualTo(2.0);
    assertThat(report.medianRatio("wait50")).isEqualTo(1.3);
    assertThat(report.medianRun("wait50").seconds()).isEqualTo(70.0);
    assertThat(report.toJson().path("variants").path("wait50").path("ratioToLimit").asDouble()).isEqualTo(1.3);
  }

  @Test
  void theWaitsSplitTheTimeOutsideModelCallsAroundThem() {
    BenchPipelineResults.Sluice run = sluice(100, new BenchPipelineResults.Timeline(0.5, 30, 4, 97, 100), 70);

    assertThat(run.waitBeforeModel()).isEqualTo(4.0);
    assertThat(run.waitBetweenModelCalls()).isEqualTo(23.0);
    assertThat(run.waitAfterModel()).isEqualTo(3.0);
    assertThat(run.embed().chunksPerCall()).isEqualTo(5.0);
  }

  @Test
  void theDigestOfTextsIgnoresTheirOrder() {
    assertThat(BenchPipelineResults.digest(List.of("b", "a"))).isEqualTo(BenchPipelineResults.digest(List.of("a", "b")))
        .isNotEqualTo(BenchPipelineResults.digest(List.of("a")));
  }

  private static BenchPipelineReport.Round round(int number, double parseCpu, double ort, Map<String, Double> seconds) {
    Map<String, BenchPipelineResults.Sluice> runs = new LinkedHashMap<>();
    seconds.forEach((name, s) -> runs.put(name, sluice(s, new BenchPipelineResults.Timeline(0.1, 1, 1, s - 1, s), s / 2)));
    return new BenchPipelineReport.Round(number, new BenchPipelineResults.ParsePass(3, 0, parseCpu, parseCpu, 1, 10),
        new BenchPipelineResults.OrtPass(10, 2000, ort, "d"), runs);
  }

  private static BenchPipelineResults.Sluice sluice(double seconds, BenchPipelineResults.Timeline timeline, double modelSeconds) {
    return new BenchPipelineResults.Sluice(seconds, 3, 3, 0, 10, 10, "d", new BenchPipelineResults.Parse(3, 1, 1), 1,
        new BenchPipelineResults.Embed(2, 10, 0, 0, modelSeconds), 1, new BenchPipelineResults.Cpu(1, 1, 1, 1, 1, 1, 1, 1, 2), timeline);
  }
}
