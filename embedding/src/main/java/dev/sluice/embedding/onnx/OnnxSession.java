package dev.sluice.embedding.onnx;

import ai.djl.Device;
import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A loaded ONNX encoder (the DJL {@link ZooModel}) and its content-derived id. Thread-safe. */
final class OnnxSession implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final String name;
  private final String modelId;
  private final ZooModel<TokenBatch, float[][]> model;

  private OnnxSession(String name, String modelId, ZooModel<TokenBatch, float[][]> model) {
    this.name = name;
    this.modelId = modelId;
    this.model = model;
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
      ZooModel<TokenBatch, float[][]> model =
          Criteria.builder()
              .setTypes(TokenBatch.class, float[][].class)
              .optEngine("OnnxRuntime")
              // Explicit, so DJL does not probe for CUDA: the catalogue models are sized for CPU.
              .optDevice(Device.cpu())
              .optModelPath(dir)
              .optModelName(spec.name())
              .optTranslator(new EncoderTranslator(spec.pooling()))
              // One run uses every core; callers must not add threads of their own on top.
              .optOption("intraOpNumThreads", String.valueOf(CORES))
              .optOption("interOpNumThreads", "1")
              .build()
              .loadModel();
      OnnxSession session = new OnnxSession(spec.name(), spec.name() + "@" + hash, model);
      try {
        checkSignature(spec, model);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      LOG.info(
          "Loaded embedding model {} in {} ms",
          session.modelId,
          (System.nanoTime() - started) / 1_000_000);
      return session;
    } catch (EmbeddingException e) {
      throw e;
    } catch (IOException | ModelException | RuntimeException e) {
      throw new EmbeddingException(
          "Model '" + spec.name() + "' cannot be loaded from '" + spec.onnxResource() + "': " + e,
          e);
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

  /** A predictor for one thread. */
  Predictor<TokenBatch, float[][]> newPredictor() {
    return model.newPredictor();
  }

  @Override
  public void close() {
    model.close();
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

  // Fails at load, naming the model, rather than on the first record to embed. The trial run also
  // lets ONNX Runtime plan its memory before real traffic. (DJL cannot describe ONNX outputs.)
  private static void checkSignature(ModelSpec spec, ZooModel<TokenBatch, float[][]> model) {
    List<String> inputs = model.describeInput().keys();
    if (!Set.copyOf(inputs).equals(EncoderTranslator.INPUT_NAMES)) {
      throw new EmbeddingException(
          "Model '"
              + spec.name()
              + "' has inputs "
              + inputs
              + ", expected "
              + EncoderTranslator.INPUT_NAMES);
    }
    TokenBatch trial = new TokenBatch(1, 2, new long[2], new long[] {1, 1}, new long[2]);
    float[][] vectors;
    try (Predictor<TokenBatch, float[][]> predictor = model.newPredictor()) {
      vectors = predictor.predict(trial);
    } catch (TranslateException | RuntimeException e) {
      throw new EmbeddingException("Model '" + spec.name() + "' fails a trial run: " + e, e);
    }
    if (vectors[0].length != spec.dimension()) {
      throw new EmbeddingException(
          "Model '"
              + spec.name()
              + "' produces vectors of "
              + vectors[0].length
              + " dimensions, expected "
              + spec.dimension());
    }
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
