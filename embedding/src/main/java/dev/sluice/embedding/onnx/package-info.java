/**
 * The {@link dev.sluice.embedding.EmbeddingModel} implementation: DJL on ONNX Runtime with the
 * model's HuggingFace tokenizer. Internal to the embedding module; everything outside it goes
 * through {@link dev.sluice.embedding.ModelCatalogue}.
 *
 * <p>Per JVM, one ONNX Runtime session per model ({@code SharedSessions}); per embedder, one DJL
 * predictor. Texts are tokenized with truncation at the window and no fixed
 * padding, grouped by token length so a batch pads little, and pooled and normalised in Java (ONNX
 * Runtime's DJL engine has no NDArray maths of its own).
 */
package dev.sluice.embedding.onnx;
