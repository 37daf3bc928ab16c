/**
 * The {@link dev.sluice.embedding.EmbeddingModel} implementation: ONNX Runtime (its Java API) with
 * the model's HuggingFace tokenizer (DJL's binding). Internal to the embedding module; everything
 * outside it goes through {@link dev.sluice.embedding.ModelCatalogue}, but for {@link
 * dev.sluice.embedding.onnx.OnnxModels#sessionOptions()}, which benchmarks share.
 *
 * <p>Per JVM, one ONNX Runtime session per model ({@code SharedSessions}), which every embedder
 * runs on; its threads are set in {@code OnnxModels.sessionOptions()}. Texts are tokenized with
 * truncation at the window and no fixed padding, grouped by token length so a batch pads little,
 * and pooled and normalised in Java.
 */
package dev.sluice.embedding.onnx;
