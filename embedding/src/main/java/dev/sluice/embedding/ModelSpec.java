package dev.sluice.embedding;

/**
 * One entry of the model catalogue: what to load and how to turn its output into a vector.
 *
 * @param name catalogue name, e.g. {@code all-minilm-l6-v2}
 * @param onnxResource classpath resource of the ONNX file (inside a Maven artifact)
 * @param tokenizerResource classpath resource of the HuggingFace tokenizer.json
 * @param dimension vector length
 * @param pooling how token vectors become one vector
 * @param queryPrefix instruction prepended to queries only (empty when the model has none)
 */
public record ModelSpec(
    String name,
    String onnxResource,
    String tokenizerResource,
    int dimension,
    Pooling pooling,
    String queryPrefix) {

  /** Pooling of the last hidden state. */
  public enum Pooling {
    MEAN,
    CLS
  }
}
