package dev.sluice.embedding;
import java.util.*;
import org.junit.jupiter.api.Test;
class BenchScratchTest {
  @Test void bench() throws Exception {
    try (EmbeddingModel m = ModelCatalogue.loadDefault(); Embedder e = m.newEmbedder()) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 64; i++) texts.add("Doc " + i + " " + TestTexts.prose(20));
      e.embedPassages(texts.subList(0, 4));
      for (int r = 0; r < 3; r++) {
        long t0 = System.nanoTime(); e.embedPassages(texts); long t1 = System.nanoTime();
        System.out.println("BENCH 64x256 batched: " + (t1 - t0) / 1e6 + " ms");
        t0 = System.nanoTime(); for (int i = 0; i < 8; i++) e.embedPassages(List.of(texts.get(i))); t1 = System.nanoTime();
        System.out.println("BENCH single 256: " + (t1 - t0) / 8e6 + " ms each");
        t0 = System.nanoTime(); for (int i = 0; i < 8; i++) e.embedPassages(List.of("short text " + i)); t1 = System.nanoTime();
        System.out.println("BENCH single short: " + (t1 - t0) / 8e6 + " ms each");
      }
    }
  }
}
