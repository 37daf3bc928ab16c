package dev.sluice.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedding.ModelCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench pipeline}: Sluice's time from publish to searchable on a corpus, against the
 * machine's limit for that corpus, with where the time went.
 *
 * <p>The limit is the parse CPU time of the corpus (one parse worker, one document at a time) plus
 * the time raw ONNX Runtime takes for the same token ids as Sluice embeds (one text per session
 * run): what the two pieces of work that cannot be skipped cost when nothing else runs. Each round
 * runs, each in a JVM of its own: Sluice once per configuration (a fresh local pipeline, see {@link
 * BenchPipelineRun}), the parse pass and the raw ONNX Runtime pass; odd rounds in that order, even
 * rounds in reverse, so that a machine getting slower or faster weighs on both sides. A ratio is
 * taken within a round; the report gives the median ratio and the stage breakdown of each
 * configuration's median run.
 *
 * <p>Corpora the bench writes itself: {@code --scifact-txt 1000} (the first 1,000 SciFact abstracts as
 * text files) and {@code --tika-tests JAR} (the test documents of a Tika module's test jar).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Measure time from publish to searchable against this machine's limit (parse CPU + raw ONNX Runtime on the same tokens),",
        "with the stage breakdown; --variant runs other settings interleaved with the defaults."})
final class BenchPipelineCommand implements Callable<Integer> {
  // A step of another build (--build) may report figures this one does not know.
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Which corpus; exactly one. */
  static final class Source {
    @Option(names = "--corpus", paramLabel = "DIR", description = "Publish every file under DIR.")
    Path corpus;

    @Option(names = "--scifact-txt", paramLabel = "N", description = "Publish the first N abstracts of --scifact as N text files (title + \" \" + text).")
    Integer scifactText;

    @Option(names = "--tika-tests", paramLabel = "JAR",
        description = "Publish the test documents of a Tika test jar, e.g. ~/.m2/.../tika-parser-pdf-module-3.2.3-tests.jar.")
    Path tikaTests;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--scifact", paramLabel = "FILE", description = "SciFact's corpus.jsonl (BEIR) for --scifact-txt.")
  Path scifact;

  @Option(names = "--runs", defaultValue = "3", description = "Rounds; medians are reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--variant", paramLabel = "NAME:key=value[,key=value]",
      description = "Also run Sluice with these settings, interleaved with the defaults (repeatable).")
  List<String> variantSpecs = new ArrayList<>();

  @Option(names = "--build", paramLabel = "NAME:JAR",
      description = "Also run Sluice from another build (its cli/target/sluice.jar), interleaved with this one (repeatable).")
  List<String> buildSpecs = new ArrayList<>();

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where generated corpora, run data and logs go (default: a new temporary directory, removed at the end).")
  Path workDir;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic, as sluice local (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--model", defaultValue = ModelCatalogue.DEFAULT_MODEL, description = "Embedding model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--timeout-minutes", defaultValue = "60", description = "Longest one step may take (default: ${DEFAULT-VALUE}).")
  int timeoutMinutes;

  @Option(names = "--json", description = "Print every figure as JSON.")
  boolean json;

  /** A step run in its own JVM by the command itself; not for people. */
  @Option(names = "--step", hidden = true)
  String step;

  @Option(names = "--out", hidden = true)
  Path out;

  @Option(names = "--texts", hidden = true)
  Path texts;

  @Option(names = "--data-dir", hidden = true)
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || partitions < 1 || timeoutMinutes < 1) {
      throw new CliException("--runs, --partitions and --timeout-minutes must be at least 1");
    }
    if (step != null) {
      runStep();
      return 0;
    }
    List<BenchPipelineVariant> variants = new ArrayList<>(List.of(BenchPipelineVariant.REFERENCE));
    List<BenchPipelineVariant> others = new ArrayList<>();
    buildSpecs.forEach(spec -> others.add(BenchPipelineVariant.build(spec)));
    variantSpecs.forEach(spec -> others.add(BenchPipelineVariant.parse(spec)));
    for (BenchPipelineVariant variant : others) {
      if (variants.stream().anyMatch(v -> v.name().equals(variant.name()))) {
        throw new CliException("--variant " + variant.name() + " is given twice");
      }
      variants.add(variant);
    }
    boolean temporary = workDir == null;
    Path work = temporary ? Files.createTempDirectory("sluice-bench-pipeline-") : Files.createDirectories(workDir);
    boolean done = false;
    try {
      BenchPipelineCorpus corpus = corpus(work);
      BenchPipelineReport report = new BenchPipelineReport(corpus.dir().toString(), corpus.files().size(), model, variants);
      for (int round = 1; round <= runs; round++) {
        report.add(round(round, corpus, variants, work));
      }
      if (json) {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
      } else {
        report.print(System.out);
      }
      done = true;
    } finally {
      // A failed bench keeps its logs.
      if (temporary && done) {
        deleteRecursively(work);
      }
    }
    return 0;
  }

  private BenchPipelineCorpus corpus(Path work) throws IOException {
    if (source.corpus != null) {
      return BenchPipelineCorpus.of(source.corpus);
    }
    if (source.scifactText != null) {
      if (scifact == null) {
        throw new CliException("--scifact-txt needs --scifact FILE, the corpus.jsonl of BEIR SciFact");
      }
      return BenchPipelineCorpus.scifactText(scifact, source.scifactText, work.resolve("scifact-txt-" + source.scifactText));
    }
    String jar = source.tikaTests.getFileName().toString();
    return BenchPipelineCorpus.tikaTestDocuments(source.tikaTests, work.resolve(jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar));
  }

  /**
   * One round. The raw ONNX Runtime pass embeds the texts of the first Sluice run of the reference,
   * which round 1 runs before it; later rounds reuse them, the chunks of a corpus being the same.
   */
  private BenchPipelineReport.Round round(int number, BenchPipelineCorpus corpus, List<BenchPipelineVariant> variants, Path work)
      throws IOException, InterruptedException {
    Path textsFile = work.resolve("texts.jsonl");
    List<Runnable> order = new ArrayList<>();
    Map<String, BenchPipelineResults.Sluice> sluice = new LinkedHashMap<>();
    BenchPipelineResults.ParsePass[] parse = new BenchPipelineResults.ParsePass[1];
    BenchPipelineResults.OrtPass[] ort = new BenchPipelineResults.OrtPass[1];
    for (BenchPipelineVariant variant : variants) {
      order.add(unchecked(() -> {
        Path result = work.resolve("results").resolve("round-" + number + "-sluice-" + variant.name() + ".json");
        List<String> args = new ArrayList<>(stepArguments("sluice", corpus, result));
        args.addAll(List.of("--data-dir", work.resolve("run-" + number + "-" + variant.name()).toString()));
        if (variant == variants.get(0) && !Files.exists(textsFile)) {
          args.addAll(List.of("--texts", textsFile.toString()));
        }
        step(work, number, "sluice-" + variant.name(), variant.jar(), args, variant.environment());
        sluice.put(variant.name(), JSON.readValue(result.toFile(), BenchPipelineResults.Sluice.class));
      }));
    }
    order.add(unchecked(() -> {
      Path result = work.resolve("results").resolve("round-" + number + "-parse.json");
      step(work, number, "parse", Optional.empty(), stepArguments("parse", corpus, result), Map.of());
      parse[0] = JSON.readValue(result.toFile(), BenchPipelineResults.ParsePass.class);
    }));
    order.add(unchecked(() -> {
      Path result = work.resolve("results").resolve("round-" + number + "-ort.json");
      List<String> args = new ArrayList<>(stepArguments("ort", corpus, result));
      args.addAll(List.of("--texts", textsFile.toString()));
      step(work, number, "ort", Optional.empty(), args, Map.of());
      ort[0] = JSON.readValue(result.toFile(), BenchPipelineResults.OrtPass.class);
    }));
    if (number % 2 == 0 && Files.exists(textsFile)) {
      Collections.reverse(order);
    }
    try {
      order.forEach(Runnable::run);
    } catch (StepFailure e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) e.getCause();
    }
    // Back in variant order, whatever order they ran in.
    Map<String, BenchPipelineResults.Sluice> ordered = new LinkedHashMap<>();
    variants.forEach(v -> ordered.put(v.name(), sluice.get(v.name())));
    return new BenchPipelineReport.Round(number, parse[0], ort[0], ordered);
  }

  private List<String> stepArguments(String name, BenchPipelineCorpus corpus, Path result) {
    return List.of("bench", "pipeline", "--step", name, "--corpus", corpus.dir().toString(), "--out", result.toString(),
        "--model", model, "--partitions", Integer.toString(partitions), "--timeout-minutes", Integer.toString(timeoutMinutes));
  }

  private void step(Path work, int round, String name, Optional<Path> jar, List<String> arguments, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path log = work.resolve("logs").resolve("round-" + round + "-" + name + ".log");
    System.err.printf("round %d: %s ...%n", round, name);
    long start = System.nanoTime();
    BenchPipelineStepProcess.run(jar, arguments, environment, log, Duration.ofMinutes(timeoutMinutes));
    System.err.printf("round %d: %s done in %.1f s%n", round, name, (System.nanoTime() - start) / 1e9);
  }

  /** The step this JVM was started for. */
  private void runStep() throws Exception {
    if (out == null || source.corpus == null) {
      throw new CliException("--step needs --out and --corpus");
    }
    BenchPipelineCorpus corpus = BenchPipelineCorpus.of(source.corpus);
    Object result = switch (step) {
      case "sluice" -> {
        if (dataDir == null) {
          throw new CliException("--step sluice needs --data-dir");
        }
        try {
          BenchPipelineRun.Outcome outcome =
              new BenchPipelineRun(corpus, dataDir, model, partitions, Duration.ofMinutes(timeoutMinutes)).run();
          if (texts != null) {
            BenchPipelineRun.writeTexts(outcome.textsByHash(), texts);
          }
          yield outcome.result();
        } finally {
          deleteRecursively(dataDir);
        }
      }
      case "parse" -> BenchPipelineParsePass.run(corpus);
      case "ort" -> {
        if (texts == null) {
          throw new CliException("--step ort needs --texts");
        }
        yield BenchPipelineOrtPass.run(BenchPipelineOrtPass.readTexts(texts));
      }
      default -> throw new CliException("unknown step '" + step + "'");
    };
    Files.createDirectories(out.toAbsolutePath().getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A step's checked failure, carried through {@link Runnable}. */
  private static final class StepFailure extends RuntimeException {
    StepFailure(Exception cause) {
      super(cause);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static Runnable unchecked(Step step) {
    return () -> {
      try {
        step.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new StepFailure(e);
      }
    };
  }
}
