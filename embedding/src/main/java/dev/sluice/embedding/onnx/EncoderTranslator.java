package dev.sluice.embedding.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.sluice.embedding.ModelSpec.Pooling;
import java.util.List;
import java.util.Set;

/**
 * Feeds a {@link TokenBatch} to the encoder by input name and turns its last hidden state into one
 * normalised vector per row. The batch is already padded, so DJL must not batchify again.
 */
final class EncoderTranslator implements NoBatchifyTranslator<TokenBatch, float[][]> {

  static final Set<String> INPUT_NAMES = Set.of("input_ids", "attention_mask", "token_type_ids");

  private static final String BATCH = "batch";
  private static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final Pooling pooling;

  EncoderTranslator(Pooling pooling) {
    this.pooling = pooling;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
    ctx.setAttachment(BATCH, batch);
    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(batch.size(), batch.length());
    return new NDList(
        named(manager.create(batch.inputIds(), shape), "input_ids"),
        named(manager.create(batch.attentionMask(), shape), "attention_mask"),
        named(manager.create(batch.typeIds(), shape), "token_type_ids"));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList output) {
    TokenBatch batch = (TokenBatch) ctx.getAttachment(BATCH);
    NDArray hidden = lastHiddenState(output);
    int width = Math.toIntExact(hidden.getShape().get(2));
    return Pooler.pool(pooling, hidden.toFloatArray(), batch, width);
  }

  // Exports name it differently (all-MiniLM-L6-v2's is "output_0"), but it is the one output of
  // shape (batch, tokens, width); the others are pooled (batch, width) vectors we do not use.
  private static NDArray lastHiddenState(NDList output) {
    NDArray named = output.get(LAST_HIDDEN_STATE);
    if (named != null) {
      return named;
    }
    List<NDArray> perToken = output.stream().filter(a -> a.getShape().dimension() == 3).toList();
    if (perToken.size() != 1) {
      throw new IllegalStateException(
          "Expected one output of shape (batch, tokens, width), got " + output);
    }
    return perToken.get(0);
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}
