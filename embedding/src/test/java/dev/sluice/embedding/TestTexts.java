package dev.sluice.embedding;

import java.util.ArrayList;
import java.util.List;

/** Deterministic test prose. */
final class TestTexts {

  private static final String[] SENTENCES = {
    "Kafka Streams partitions work by key so that each task owns its state.",
    "The ingest service extracts text from PDF and Office documents with Apache Tika.",
    "Chunks are embedded in batches and written to the vector index with their document id.",
    "A changelog topic restores a state store after a rebalance or a crash.",
    "Search queries are embedded with the same model that embedded the passages.",
    "Reciprocal rank fusion merges the lexical and the vector result lists.",
    "Old versions of a document are deleted when a newer version has been indexed.",
    "Records that cannot be parsed are sent to the dead letter topic with a reason.",
  };

  private TestTexts() {}

  /** Roughly {@code sentences * 15} tokens of varied English prose. */
  static String prose(int sentences) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      text.append(SENTENCES[(i * 5) % SENTENCES.length]);
      text.append(" (section ").append(i).append(") ");
    }
    return text.toString().strip();
  }

  /** {@code count} distinct texts of very different lengths, in no particular length order. */
  static List<String> variedLengths(int count) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add("Text " + i + ": " + prose(1 + (i * 7) % 5));
    }
    return texts;
  }
}
