package dev.sluice.cli;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embed.BatchEmbedder;
import dev.sluice.embed.EmbedConfig;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.embedding.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench embed}: how fast a catalogue model embeds on this machine, the way the embed
 * worker embeds: the same tokenizer and truncation, batches of {@code --batch-size} texts through
 * the worker's own {@link BatchEmbedder}. With {@code --raw-ort}, the same texts also go through
 * plain ONNX Runtime, one text per session run with the same token ids, in interleaved blocks so
 * that a noisy machine slows both alike; the result then includes Sluice's share of raw ONNX
 * Runtime (the median of the per-pass ratios). Figures are medians over {@code --runs} passes, after
 * {@code --warmup} texts.
 *
 * <p>A file of 256-token passages, one per line, from the SciFact corpus:
 * {@code jq -r 'select(.text|length >= 1800) | .text' corpus.jsonl | head -200 > passages.txt}.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Measure embedding throughput (chunks/s) as the embed worker embeds, optionally against raw ONNX Runtime.")
final class BenchEmbedCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--model", defaultValue = ModelCatalogue.DEFAULT_MODEL, description = "Catalogue model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Texts to embed, one per line.")
  Path input;

  @Option(names = "--window", defaultValue = "256", description = "Model window in tokens (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--batch-size", defaultValue = "" + EmbedConfig.DEFAULT_BATCH_MAX_SIZE,
      description = "Texts per model call, as embed.batch.max.size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--warmup", defaultValue = "64", description = "Texts embedded before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "3", description = "Measured passes over the input; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--raw-ort", description = "Also measure plain ONNX Runtime on the same token ids, interleaved.")
  boolean rawOrt;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<String> texts = Files.readAllLines(input).stream().filter(line -> !line.isBlank()).toList();
    if (texts.isEmpty() || runs < 1 || batchSize < 1 || warmup < 0) {
      throw new CliException("need a non-empty --input, --runs >= 1, --batch-size >= 1 and --warmup >= 0");
    }
    try (EmbeddingModel loaded = ModelCatalogue.load(model, window);
        Embedder embedder = loaded.newEmbedder();
        RawOrt raw = rawOrt ? RawOrt.open(loaded.spec(), window, texts) : null) {
      BatchEmbedder sluice = new BatchEmbedder(embedder);
      int[] tokens = texts.stream().mapToInt(t -> Math.min(loaded.tokenizer().countTokens(t), window)).toArray();
      if (raw != null && !Arrays.equals(tokens, raw.lengths())) {
        throw new CliException("raw ONNX Runtime tokenized the input differently from Sluice; the comparison would be unfair");
      }
      List<String> warm = new ArrayList<>();
      for (int i = 0; i < warmup; i++) {
        warm.add(texts.get(i % texts.size()));
      }
      measure(sluice, raw, warm);
      List<Double> sluiceRuns = new ArrayList<>();
      List<Double> rawRuns = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        long[] nanos = measure(sluice, raw, texts);
        sluiceRuns.add(texts.size() / (nanos[0] / 1e9));
        rawRuns.add(texts.size() / (nanos[1] / 1e9));
      }
      report(loaded, texts.size(), Arrays.stream(tokens).average().orElse(0), sluiceRuns, raw == null ? List.of() : rawRuns);
    }
    return 0;
  }

  /** Nanoseconds spent by Sluice and by raw ONNX Runtime (0 without it) on {@code texts}. */
  private long[] measure(BatchEmbedder sluice, RawOrt raw, List<String> texts) throws OrtException {
    long[] nanos = new long[2];
    for (int from = 0, block = 0; from < texts.size(); from += batchSize, block++) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
      // Alternating which goes first cancels what one run leaves the next (caches, clock speed).
      if (raw != null && block % 2 == 1) {
        nanos[1] += raw.time(from, batch.size());
      }
      long start = System.nanoTime();
      if (sluice.embed(batch).stream().anyMatch(BatchEmbedder.Outcome.Failed.class::isInstance)) {
        throw new CliException("the model failed on a text of lines " + (from + 1) + "-" + (from + batch.size()));
      }
      nanos[0] += System.nanoTime() - start;
      if (raw != null && block % 2 == 0) {
        nanos[1] += raw.time(from, batch.size());
      }
    }
    return nanos;
  }

  private void report(EmbeddingModel loaded, int texts, double meanTokens, List<Double> sluiceRuns, List<Double> rawRuns)
      throws IOException {
    double sluice = median(sluiceRuns);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("model", model);
    result.put("modelId", loaded.modelId());
    result.put("texts", texts);
    result.put("meanTokens", round(meanTokens));
    result.put("chunksPerSecond", round(sluice));
    result.put("peakRssMb", peakRssMb());
    result.put("runs", sluiceRuns.stream().map(BenchEmbedCommand::round).toList());
    if (!rawRuns.isEmpty()) {
      result.put("rawOrtChunksPerSecond", round(median(rawRuns)));
      result.put("rawOrtRuns", rawRuns.stream().map(BenchEmbedCommand::round).toList());
      result.put("shareOfRawOrt", round(shareOfRawOrt(sluiceRuns, rawRuns)));
    }
    if (json) {
      System.out.println(JSON.writeValueAsString(result));
      return;
    }
    System.out.printf("%s: %d texts, %.1f tokens on average, batches of %d%n", loaded.modelId(), texts, meanTokens, batchSize);
    System.out.printf("sluice: %.1f chunks/s (median of %s)%n", sluice, result.get("runs"));
    if (!rawRuns.isEmpty()) {
      System.out.printf("raw ONNX Runtime: %.1f chunks/s (median of %s); sluice reaches %.0f %% of it%n",
          median(rawRuns), result.get("rawOrtRuns"), 100 * shareOfRawOrt(sluiceRuns, rawRuns));
    }
    System.out.printf("peak RSS: %s MB%n", result.get("peakRssMb"));
  }

  // The median of each run's ratio rather than the ratio of medians: the two halves of a run were
  // interleaved block by block, so they saw the same machine, which two medians need not have.
  private static double shareOfRawOrt(List<Double> sluiceRuns, List<Double> rawRuns) {
    List<Double> ratios = new ArrayList<>();
    for (int run = 0; run < sluiceRuns.size(); run++) {
      ratios.add(sluiceRuns.get(run) / rawRuns.get(run));
    }
    return median(ratios);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** The process's peak resident set (VmHWM), or null where /proc is not available. */
  private static Long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /**
   * Plain ONNX Runtime: the model's ONNX file in an {@link OrtSession} with as many intra-op threads
   * as Sluice gives it, one text per run, token ids computed up front by the HuggingFace tokenizer
   * with Sluice's settings (truncation at the window, no padding), the model's pooling written out
   * again. No Sluice code runs in the measured loop.
   */
  private static final class RawOrt implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String output;
    private final ModelSpec.Pooling pooling;
    private final Encoding[] encodings;

    private RawOrt(OrtSession session, String output, ModelSpec.Pooling pooling, Encoding[] encodings) {
      this.session = session;
      this.output = output;
      this.pooling = pooling;
      this.encodings = encodings;
    }

    static RawOrt open(ModelSpec spec, int window, List<String> texts) throws IOException, OrtException {
      Encoding[] encodings;
      try (InputStream json = resource(spec.tokenizerResource());
          HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json,
              Map.of("truncation", "true", "maxLength", String.valueOf(window), "padding", "false"))) {
        encodings = tokenizer.batchEncode(texts);
      }
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      options.setInterOpNumThreads(1);
      byte[] onnx;
      try (InputStream in = resource(spec.onnxResource())) {
        onnx = in.readAllBytes();
      }
      OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options);
      String output = null;
      for (Map.Entry<String, NodeInfo> info : session.getOutputInfo().entrySet()) {
        if (info.getValue().getInfo() instanceof TensorInfo tensor && tensor.getShape().length == 3) {
          output = info.getKey();
        }
      }
      if (output == null) {
        session.close();
        throw new CliException("model '" + spec.name() + "' has no per-token output");
      }
      return new RawOrt(session, output, spec.pooling(), encodings);
    }

    int[] lengths() {
      return Arrays.stream(encodings).mapToInt(e -> e.getIds().length).toArray();
    }

    /** Nanoseconds to embed texts {@code [from, from + count)}, one per run, cycling past the end. */
    long time(int from, int count) throws OrtException {
      long start = System.nanoTime();
      for (int i = from; i < from + count; i++) {
        embed(encodings[i % encodings.length]);
      }
      return System.nanoTime() - start;
    }

    private float[] embed(Encoding encoding) throws OrtException {
      try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {encoding.getIds()});
          OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {encoding.getAttentionMask()});
          OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()});
          OrtSession.Result result = session.run(
              Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types), Set.of(output))) {
        OnnxTensor hidden = (OnnxTensor) result.get(0);
        FloatBuffer states = hidden.getFloatBuffer();
        int width = (int) hidden.getInfo().getShape()[2];
        int tokens = pooling == ModelSpec.Pooling.CLS ? 1 : encoding.getIds().length;
        float[] vector = new float[width];
        for (int t = 0; t < tokens; t++) {
          for (int d = 0; d < width; d++) {
            vector[d] += states.get(t * width + d) / tokens;
          }
        }
        double norm = 0;
        for (float v : vector) {
          norm += v * v;
        }
        for (int d = 0; d < width; d++) {
          vector[d] /= (float) Math.sqrt(norm);
        }
        return vector;
      }
    }

    private static InputStream resource(String name) throws IOException {
      InputStream in = RawOrt.class.getClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new CliException("classpath resource '" + name + "' is missing; add the model's Maven artifact");
      }
      return in;
    }

    @Override
    public void close() throws OrtException {
      session.close();
    }
  }
}
