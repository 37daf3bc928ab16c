package dev.sluice.cli;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embed.EmbedConfig;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.embedding.ModelSpec;
import dev.sluice.embedding.onnx.OnnxModels;
import dev.sluice.runtime.SettingsSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model half of the limit: plain ONNX Runtime on the token ids Sluice's embedder would feed the
 * model for the distinct chunk texts of a run. The model's ONNX file in an {@link OrtSession} that
 * runs as Sluice's sessions run ({@link OnnxModels#sessionOptions()}: threads, no spinning), so that
 * the limit is the best this machine's ONNX Runtime does and not a configuration Sluice improves on;
 * one text per session run (no padding at all), token ids
 * computed up front by the model's HuggingFace tokenizer truncating at the embed worker's window, and
 * checked against the lengths Sluice's own tokenizer gives; no Sluice code runs in the timed loop.
 * A few texts run first, untimed, as Sluice's model has one trial run at load.
 */
final class BenchPipelineOrtPass {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WARM_UP_RUNS = 8;

  private BenchPipelineOrtPass() {}

  /** Reads the texts that {@link BenchPipelineRun#writeTexts} wrote. */
  static Map<String, String> readTexts(Path file) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonNode entry = JSON.readTree(line);
        texts.put(entry.path("hash").asText(), entry.path("text").asText());
      }
    }
    return texts;
  }

  static BenchPipelineResults.OrtPass run(Map<String, String> textsByHash) throws IOException, OrtException {
    EmbedConfig config = EmbedConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), Map.of()));
    List<String> texts = new ArrayList<>(textsByHash.values());
    if (texts.isEmpty()) {
      throw new CliException("no chunk texts to embed: the Sluice run embedded nothing");
    }
    ModelSpec spec;
    int[] sluiceLengths;
    try (EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.windowTokens())) {
      spec = model.spec();
      sluiceLengths = texts.stream().mapToInt(t -> Math.min(model.tokenizer().countTokens(t), config.windowTokens())).toArray();
    }
    Encoding[] encodings;
    try (InputStream json = resource(spec.tokenizerResource());
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json,
            Map.of("truncation", "true", "maxLength", String.valueOf(config.windowTokens()), "padding", "false"))) {
      encodings = tokenizer.batchEncode(texts);
    }
    long tokens = 0;
    for (int i = 0; i < encodings.length; i++) {
      if (encodings[i].getIds().length != sluiceLengths[i]) {
        throw new CliException("raw ONNX Runtime tokenized a text into " + encodings[i].getIds().length + " tokens where Sluice counts "
            + sluiceLengths[i] + "; the limit would not embed what Sluice embeds");
      }
      tokens += encodings[i].getIds().length;
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = OnnxModels.sessionOptions()) {
      byte[] onnx;
      try (InputStream in = resource(spec.onnxResource())) {
        onnx = in.readAllBytes();
      }
      try (OrtSession session = env.createSession(onnx, options)) {
        String output = perTokenOutput(session, spec);
        boolean cls = spec.pooling() == ModelSpec.Pooling.CLS;
        for (int i = 0; i < Math.min(WARM_UP_RUNS, encodings.length); i++) {
          embed(env, session, output, encodings[i], cls);
        }
        long start = System.nanoTime();
        for (Encoding encoding : encodings) {
          embed(env, session, output, encoding, cls);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BenchPipelineResults.OrtPass(texts.size(), tokens, seconds, BenchPipelineResults.digest(textsByHash.keySet()));
      }
    }
  }

  private static String perTokenOutput(OrtSession session, ModelSpec spec) throws OrtException {
    for (Map.Entry<String, NodeInfo> info : session.getOutputInfo().entrySet()) {
      if (info.getValue().getInfo() instanceof TensorInfo tensor && tensor.getShape().length == 3) {
        return info.getKey();
      }
    }
    throw new CliException("model '" + spec.name() + "' has no per-token output");
  }

  // One session run and the model's pooling, written out again; the vector is discarded, but
  // computing it keeps the pass doing everything a vector costs.
  private static float[] embed(OrtEnvironment env, OrtSession session, String output, Encoding encoding, boolean cls)
      throws OrtException {
    try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {encoding.getIds()});
        OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {encoding.getAttentionMask()});
        OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()});
        OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types), Set.of(output))) {
      OnnxTensor hidden = (OnnxTensor) result.get(0);
      FloatBuffer states = hidden.getFloatBuffer();
      int width = (int) hidden.getInfo().getShape()[2];
      int tokens = cls ? 1 : encoding.getIds().length;
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
    InputStream in = BenchPipelineOrtPass.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new CliException("classpath resource '" + name + "' is missing; add the model's Maven artifact");
    }
    return in;
  }
}
