package dev.sluice.embedding.onnx;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelSpec;

/**
 * Loads catalogue models with DJL on ONNX Runtime. Public only so that {@link
 * dev.sluice.embedding.ModelCatalogue} can reach it; use the catalogue, which validates names and
 * windows.
 */
public final class OnnxModels {

  private OnnxModels() {}

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

  // Sluice runs without network at run time. Online, DJL probes the EC2 metadata endpoint for
  // telemetry on first use of the tokenizer and may look for CUDA builds of its native libraries.
  private static void stayOffline() {
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
