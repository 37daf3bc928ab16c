package dev.sluice.embedding.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelSpec;

/**
 * Loads catalogue models on ONNX Runtime. Public only so that {@link
 * dev.sluice.embedding.ModelCatalogue} can reach it; use the catalogue, which validates names and
 * windows.
 */
public final class OnnxModels {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private OnnxModels() {}

  /**
   * How every Sluice session runs, and how a benchmark's plain ONNX Runtime session must run to
   * compare with it: one run uses every core (callers must not add threads of their own on top),
   * operators one after another, and intra-op threads that block rather than spin when they wait.
   *
   * <p>Why no spinning: a waiting thread that spins holds its core, and the work it waits for may
   * need that core, here where the parse workers, the broker and other services run on the same
   * few cores. Measured on the 2-core build machine with other jobs running, plain ONNX Runtime,
   * one text per run over 300 chunks of Tika's PDF test documents, interleaved three times: with
   * spinning 17-22 texts/s at 6.0-6.5 s of CPU, without 35-71 texts/s at 2.9-3.2 s of CPU.
   *
   * @return new options, to close once the session is created
   */
  public static OrtSession.SessionOptions sessionOptions() {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(CORES);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      return options;
    } catch (OrtException e) {
      options.close();
      throw new EmbeddingException("ONNX Runtime refused Sluice's session options: " + e, e);
    }
  }

  /**
   * Loads the model, sharing its ONNX Runtime session with other loads of the same name in this
   * JVM.
   *
   * @throws dev.sluice.embedding.EmbeddingException when its files cannot be read or loaded
   */
  public static EmbeddingModel load(ModelSpec spec, int windowTokens) {
    stayOffline();
    OnnxSession session = SharedSessions.acquire(spec);
    try {
      return new OnnxEmbeddingModel(
          spec, session, HfModelTokenizer.load(spec.tokenizerResource(), windowTokens));
    } catch (RuntimeException e) {
      SharedSessions.release(session);
      throw e;
    }
  }

  // Sluice runs without network at run time. Online, DJL's tokenizer library probes the EC2
  // metadata endpoint for telemetry on first use.
  private static void stayOffline() {
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
