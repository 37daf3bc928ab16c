package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The figures of {@code sluice bench pipeline}: per round, the limit (parse CPU plus raw ONNX
 * Runtime) and each configuration's time to searchable; per configuration, the median of its
 * per-round ratios to the limit (each ratio taken within one round, whose steps saw the same machine)
 * and the stage breakdown of its median run.
 */
final class BenchPipelineReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One round: the limit's two passes and one Sluice run per configuration. */
  record Round(int number, BenchPipelineResults.ParsePass parse, BenchPipelineResults.OrtPass ort,
      Map<String, BenchPipelineResults.Sluice> sluice) {
    double limit() {
      return parse.cpuSeconds() + ort.seconds();
    }

    double ratio(String variant) {
      return sluice.get(variant).seconds() / limit();
    }
  }

  private final String corpus;
  private final int files;
  private final String model;
  private final List<BenchPipelineVariant> variants;
  private final List<Round> rounds = new ArrayList<>();

  BenchPipelineReport(String corpus, int files, String model, List<BenchPipelineVariant> variants) {
    this.corpus = corpus;
    this.files = files;
    this.model = model;
    this.variants = List.copyOf(variants);
  }

  void add(Round round) {
    rounds.add(round);
  }

  double medianRatio(String variant) {
    return median(rounds.stream().map(r -> r.ratio(variant)).toList());
  }

  double medianLimit() {
    return median(rounds.stream().map(Round::limit).toList());
  }

  double medianSeconds(String variant) {
    return median(rounds.stream().map(r -> r.sluice().get(variant).seconds()).toList());
  }

  /** The run whose time is the median of the configuration's: its breakdown adds up, a median of each figure need not. */
  BenchPipelineResults.Sluice medianRun(String variant) {
    List<BenchPipelineResults.Sluice> runs = rounds.stream().map(r -> r.sluice().get(variant))
        .sorted(Comparator.comparingDouble(BenchPipelineResults.Sluice::seconds)).toList();
    return runs.get((runs.size() - 1) / 2);
  }

  ObjectNode toJson() {
    ObjectNode out = JSON.createObjectNode();
    out.put("corpus", corpus);
    out.put("files", files);
    out.put("model", model);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("limitSeconds", round(medianLimit()));
    ObjectNode summary = out.putObject("variants");
    for (BenchPipelineVariant v : variants) {
      ObjectNode s = summary.putObject(v.name());
      s.putPOJO("settings", v.settings());
      s.put("seconds", round(medianSeconds(v.name())));
      s.put("ratioToLimit", round(medianRatio(v.name())));
      s.set("medianRun", JSON.valueToTree(medianRun(v.name())));
    }
    ArrayNode list = out.putArray("rounds");
    for (Round r : rounds) {
      ObjectNode o = list.addObject();
      o.put("round", r.number());
      o.set("parse", JSON.valueToTree(r.parse()));
      o.set("ort", JSON.valueToTree(r.ort()));
      o.put("limitSeconds", round(r.limit()));
      ObjectNode runs = o.putObject("sluice");
      r.sluice().forEach((name, run) -> runs.set(name, JSON.valueToTree(run)));
      ObjectNode ratios = o.putObject("ratioToLimit");
      r.sluice().keySet().forEach(name -> ratios.put(name, round(r.ratio(name))));
    }
    return out;
  }

  void print(PrintStream out) {
    out.printf("sluice bench pipeline: %d files under %s, %d round(s) interleaved, %s, %d cores%n", files, corpus, rounds.size(), model,
        Runtime.getRuntime().availableProcessors());
    out.println("limit = parse CPU (one parse worker, one document at a time) + raw ONNX Runtime on the same token ids (one text per run)");
    out.println();
    StringBuilder header = new StringBuilder(String.format("%-7s %10s %22s %9s", "round", "parse CPU", "raw ORT (texts/s)", "limit"));
    variants.forEach(v -> header.append(String.format(" %12s %6s", trim(v.name(), 12), "ratio")));
    out.println(header);
    for (Round r : rounds) {
      StringBuilder line = new StringBuilder(String.format("%-7d %8.1f s %12.1f s (%5.1f) %7.1f s", r.number(), r.parse().cpuSeconds(),
          r.ort().seconds(), r.ort().textsPerSecond(), r.limit()));
      variants.forEach(v -> line.append(String.format(" %10.1f s %6.2f", r.sluice().get(v.name()).seconds(), r.ratio(v.name()))));
      out.println(line);
    }
    StringBuilder median = new StringBuilder(String.format("%-7s %10s %22s %7.1f s", "median", "", "", medianLimit()));
    variants.forEach(v -> median.append(String.format(" %10.1f s %6.2f", medianSeconds(v.name()), medianRatio(v.name()))));
    out.println(median);
    for (BenchPipelineVariant v : variants) {
      out.println();
      printBreakdown(out, v, medianRun(v.name()));
    }
    Round first = rounds.get(0);
    variants.stream().filter(v -> !first.sluice().get(v.name()).textsDigest().equals(first.ort().textsDigest())).forEach(v -> out.printf(
        "note: %s embedded other texts than the limit's raw ONNX Runtime pass (a setting changed the chunks)%n", v.name()));
  }

  private void printBreakdown(PrintStream out, BenchPipelineVariant variant, BenchPipelineResults.Sluice run) {
    BenchPipelineResults.Embed e = run.embed();
    BenchPipelineResults.Cpu cpu = run.cpu();
    BenchPipelineResults.Timeline t = run.timeline();
    out.printf("stage breakdown of %s, its median run:%n", variant.describe());
    out.printf("  publish -> searchable %7.1f s for %d documents (%d indexed, %d failed), %d chunks, %d distinct texts%n", run.seconds(),
        run.documents(), run.indexed(), run.failed(), run.chunks(), run.distinctTexts());
    out.printf("  parse   %7.1f s waiting on %d parses; parse workers %.1f s CPU%n", run.parse().wallSeconds(), run.parse().calls(),
        run.parse().workerCpuSeconds());
    out.printf("  chunk   %7.1f s CPU in the ingest threads (clean, chunk, count tokens, Kafka)%n", run.ingestThreadCpuSeconds());
    out.printf("  embed   %7.1f s in %d model calls for %d chunks (%.2f per call, %d cached, %d failed): %.1f chunks/s in the model%n",
        e.modelSeconds(), e.modelCalls(), e.embedded(), e.chunksPerCall(), e.cached(), e.failed(), e.chunksPerModelSecond());
    out.printf("  index   %7.1f s CPU in the index-worker threads%n", run.indexThreadCpuSeconds());
    out.printf("  waits   %7.1f s before the first model call, %.1f s between model calls, %.1f s after the last%n", run.waitBeforeModel(),
        run.waitBetweenModelCalls(), run.waitAfterModel());
    out.printf("  timeline: published %.1f s, ingest took every document %.1f s, model calls %.1f-%.1f s, searchable %.1f s%n",
        t.published(), t.ingestDone(), t.firstModelCall(), t.lastModelCall(), t.searchable());
    out.printf("  CPU     %7.1f s of %.1f s available (%d cores): parse workers %.1f, ingest %.1f, embed threads %.1f, outside Java threads "
            + "(ONNX Runtime pool, GC, JIT) %.1f, index %.1f, query API %.1f, other Java (broker) %.1f%n",
        cpu.process() + cpu.children(), cpu.cores() * run.seconds(), cpu.cores(), cpu.children(), cpu.ingest(), cpu.embed(), cpu.outsideJava(),
        cpu.index(), cpu.query(), cpu.otherJava());
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static String trim(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
