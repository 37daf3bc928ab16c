package dev.sluice.index.lucene;

import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentVersions;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.TestPoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "One version at a time" under load: while a 2,000-chunk document swaps versions, searches filtered
 * to it must each return chunks of exactly one version, on the writing instance and on a read-only
 * one that sees commits. Beside the readers, a thread forces searcher reopens (or commits) as often
 * as it can, so that any state between the writes of a publish would be caught.
 */
class LuceneVisibilityTest {

  private static final String TENANT = "acme";
  private static final String DOC = "manual";
  private static final int CHUNKS = 2_000;
  private static final int BATCH = 256;
  private static final int READERS = 4;
  private static final int TOP_K = 50;
  private static final SearchScope SCOPE = new SearchScope(TENANT, Set.of());
  private static final SearchFilters THIS_DOCUMENT = new SearchFilters(Set.of(DOC), Set.of(), Set.of(), Set.of(),
      Set.of(), Map.of(), Optional.empty(), Optional.empty());
  private static final String QUERY_TEXT = "manual section revision";

  @TempDir Path dir;

  @Test
  void aSearchNeverMixesTwoVersionsOfADocumentDuringASwap() throws Exception {
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(dir.resolve("points"))) {
      indexNeighbours(index);
      stage(index, 1);
      publish(index, 1, List.of());
      index.refresh();

      Figures during;
      Figures after;
      List<String> wrong;
      try (Readers readers = new Readers(index::search, Set.of(1L));
          Background reopens = new Background(index::refresh)) {
        stage(index, 2);
        readers.allow(Set.of(1L, 2L));
        publish(index, 2, ids(1));
        index.refresh();
        during = readers.figures();
        readers.allow(Set.of(2L));
        readers.awaitMore(during.searches() + 200);
        after = readers.figures().minus(during);
        wrong = readers.wrong();
        assertThat(reopens.runs()).as("forced reopens").isPositive();
      }

      System.out.printf("visibility: %d searches during a %d-chunk swap, %d mixed (%d searches after publish, all version 2)%n",
          during.searches(), CHUNKS, during.mixed(), after.searches());
      assertThat(wrong).as("wrong responses").isEmpty();
      assertThat(during.searches()).isPositive();
      assertThat(during.mixed()).isZero();
      assertThat(after.searches()).isGreaterThanOrEqualTo(200);
      assertThat(index.documentVersions(TENANT)).contains(
          new DocumentVersions(TENANT, DOC, new TreeMap<>(Map.of(2L, CHUNKS)), 0, 0));
      assertThat(index.count()).isEqualTo(CHUNKS + neighbours().size());
    }
  }

  @Test
  void anIncompleteVersionNeverShows() throws Exception {
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(dir.resolve("points"))) {
      indexNeighbours(index);
      stage(index, 1);
      publish(index, 1, List.of());
      stage(index, 2);
      publish(index, 2, ids(1));
      index.refresh();

      Figures figures;
      List<String> wrong;
      try (Readers readers = new Readers(index::search, Set.of(2L));
          Background reopens = new Background(index::refresh)) {
        stage(index, 3);
        index.refresh();
        readers.awaitMore(readers.figures().searches() + 200);
        figures = readers.figures();
        wrong = readers.wrong();
        assertThat(reopens.runs()).as("forced reopens").isPositive();
      }

      System.out.printf("visibility: %d searches while version 3 (%d chunks) was staged and never published, %d mixed, %d saw it%n",
          figures.searches(), CHUNKS, figures.mixed(), figures.unexpected());
      assertThat(wrong).as("wrong responses").isEmpty();
      assertThat(figures.mixed()).isZero();
      assertThat(figures.unexpected()).isZero();
      assertThat(index.documentVersions(TENANT)).contains(
          new DocumentVersions(TENANT, DOC, new TreeMap<>(Map.of(2L, CHUNKS)), 0, CHUNKS));
      assertThat(index.count()).isEqualTo(CHUNKS + neighbours().size());
    }
  }

  /**
   * A read-only instance sees commits; the writer commits as fast as it can while it swaps versions,
   * so a commit taken between the writes of a publish would show a mixed document (and a count of
   * visible points off by up to 2,000).
   */
  @Test
  void aReadOnlyInstanceNeverSeesHalfAPublishWhileCommitsRace() throws Exception {
    Path path = dir.resolve("points");
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(path);
        LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(path)) {
      indexNeighbours(index);
      stage(index, 1);
      publish(index, 1, List.of());
      index.commit();
      reader.refresh();
      long expectedCount = CHUNKS + neighbours().size();
      assertThat(reader.count()).isEqualTo(expectedCount);

      long commits;
      AtomicLong wrongCounts = new AtomicLong();
      int swaps = 3;
      Figures figures;
      List<String> wrong;
      try (Readers readers = new Readers(reader::search, Set.of(1L));
          Background committer = new Background(index::commit);
          Background poller = new Background(() -> {
            reader.refresh();
            if (reader.count() != expectedCount) {
              wrongCounts.incrementAndGet();
            }
          })) {
        for (long version = 2; version < 2 + swaps; version++) {
          stage(index, version);
          readers.allow(Set.of(version - 1, version));
          publish(index, version, ids(version - 1));
          index.commit();
          reader.refresh();
          readers.allow(Set.of(version));
          readers.awaitMore(readers.figures().searches() + 50);
        }
        figures = readers.figures();
        wrong = readers.wrong();
        commits = committer.runs();
        assertThat(poller.runs()).as("forced polls").isPositive();
      }

      System.out.printf("visibility (read-only): %d searches and %d commit calls across %d swaps of %d chunks, %d mixed, %d wrong counts%n",
          figures.searches(), commits, swaps, CHUNKS, figures.mixed(), wrongCounts.get());
      assertThat(wrong).as("wrong responses").isEmpty();
      assertThat(figures.mixed()).isZero();
      assertThat(wrongCounts.get()).isZero();
      assertThat(commits).isGreaterThan(swaps);
      assertThat(reader.documentVersions(TENANT)).contains(
          new DocumentVersions(TENANT, DOC, new TreeMap<>(Map.of(1L + swaps, CHUNKS)), 0, 0));
    }
  }

  /** Every chunk differs from one version to the next: new text, new vector, so a new id. */
  private static IndexPoint chunk(long version, int ordinal, boolean staged) {
    TestPoints.Builder builder = point(DOC + "@" + version + "#" + ordinal).doc(DOC).ordinal(ordinal).docVersion(version)
        .text("manual section " + ordinal + " revision " + version).vector(randomUnit(new Random(version * 1_000_003L + ordinal)));
    return (staged ? builder.staged() : builder).build();
  }

  private static List<String> ids(long version) {
    return IntStream.range(0, CHUNKS).mapToObj(i -> chunk(version, i, false).id()).toList();
  }

  private static void stage(LuceneVectorIndex index, long version) {
    for (int from = 0; from < CHUNKS; from += BATCH) {
      index.upsert(IntStream.range(from, Math.min(CHUNKS, from + BATCH)).mapToObj(i -> chunk(version, i, true)).toList());
    }
  }

  private static void publish(LuceneVectorIndex index, long version, List<String> retired) {
    Map<String, PointPayload> visible = new LinkedHashMap<>();
    for (int i = 0; i < CHUNKS; i++) {
      IndexPoint point = chunk(version, i, false);
      visible.put(point.id(), point.payload());
    }
    index.publish(TENANT, visible, retired);
  }

  /** Another document sharing the words, which the readers' docId filter must keep out. */
  private static List<IndexPoint> neighbours() {
    return IntStream.range(0, 50)
        .mapToObj(i -> point("neighbour#" + i).doc("neighbour").ordinal(i).docVersion(7)
            .text("manual section " + i + " revision 7").vector(randomUnit(new Random(-i - 1))).build())
        .toList();
  }

  private static void indexNeighbours(LuceneVectorIndex index) {
    index.upsert(neighbours());
  }

  private static float[] randomUnit(Random random) {
    float[] components = new float[TestPoints.DIMENSION];
    for (int i = 0; i < components.length; i++) {
      components[i] = (float) random.nextGaussian();
    }
    return TestPoints.unit(components);
  }

  /** What the readers saw. */
  private record Figures(long searches, long mixed, long empty, long unexpected) {
    Figures minus(Figures earlier) {
      return new Figures(searches - earlier.searches, mixed - earlier.mixed, empty - earlier.empty,
          unexpected - earlier.unexpected);
    }
  }

  /**
   * {@value #READERS} threads searching the document until closed, in turn dense, hybrid and
   * keyword, topK {@value #TOP_K}. A response is wrong when it is empty, mixes versions, holds a
   * version not allowed while it ran, or another document.
   */
  private static final class Readers implements AutoCloseable {
    private final Function<SearchRequest, List<SearchHit>> search;
    private final ExecutorService pool = Executors.newFixedThreadPool(READERS);
    private final List<Future<?>> tasks = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong mixed = new AtomicLong();
    private final AtomicLong empty = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final Queue<String> examples = new ConcurrentLinkedQueue<>();
    private volatile Set<Long> allowed;

    Readers(Function<SearchRequest, List<SearchHit>> search, Set<Long> allowed) {
      this.search = search;
      this.allowed = allowed;
      for (int t = 0; t < READERS; t++) {
        long seed = t;
        tasks.add(pool.submit(() -> run(new Random(seed))));
      }
    }

    /** The versions a search starting from now may return. */
    void allow(Set<Long> versions) {
      allowed = versions;
    }

    Figures figures() {
      return new Figures(searches.get(), mixed.get(), empty.get(), unexpected.get());
    }

    void awaitMore(long total) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (searches.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }

    /** Up to five wrong responses, described, and a count of the others. */
    List<String> wrong() {
      Figures figures = figures();
      List<String> wrong = new ArrayList<>(examples);
      long others = figures.empty() + figures.mixed() + figures.unexpected() - wrong.size();
      if (others > 0) {
        wrong.add("... and up to " + others + " more");
      }
      return wrong;
    }

    private void run(Random random) {
      SearchMode[] modes = SearchMode.values();
      for (int n = 0; !stop.get(); n++) {
        // A search acquires its searcher between these two reads: what either allowed, it may show.
        Set<Long> before = allowed;
        SearchMode mode = modes[n % modes.length];
        List<SearchHit> hits = search.apply(new SearchRequest(SCOPE, randomUnit(random), QUERY_TEXT, TOP_K, mode, THIS_DOCUMENT));
        Set<Long> after = allowed;
        check(mode, hits, before, after);
      }
    }

    private void check(SearchMode mode, List<SearchHit> hits, Set<Long> before, Set<Long> after) {
      searches.incrementAndGet();
      Set<Long> versions = new HashSet<>();
      boolean foreign = false;
      for (SearchHit hit : hits) {
        versions.add(hit.payload().docVersion());
        foreign |= !DOC.equals(hit.payload().docId());
      }
      Set<Long> allowedNow = new HashSet<>(before);
      allowedNow.addAll(after);
      if (hits.isEmpty()) {
        empty.incrementAndGet();
      }
      if (versions.size() > 1) {
        mixed.incrementAndGet();
      }
      if (foreign || !allowedNow.containsAll(versions)) {
        unexpected.incrementAndGet();
      }
      boolean wrong = hits.isEmpty() || versions.size() > 1 || foreign || !allowedNow.containsAll(versions);
      if (wrong && examples.size() < 5) {
        examples.add(mode + " search returned " + hits.size() + " hits of versions " + versions + " (allowed "
            + allowedNow + (foreign ? ", and another document" : "") + ")");
      }
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      stop.set(true);
      try {
        for (Future<?> task : tasks) {
          awaitEnd(task);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Runs {@code action} in a loop on one thread until closed, with a millisecond's pause between. */
  private static final class Background implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong runs = new AtomicLong();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<?> task;

    Background(Runnable action) {
      task = thread.submit(() -> {
        while (!stop.get()) {
          action.run();
          runs.incrementAndGet();
          Thread.sleep(1);
        }
        return null;
      });
    }

    long runs() {
      return runs.get();
    }

    /** Rethrows what {@code action} threw, if anything. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
      stop.set(true);
      try {
        awaitEnd(task);
      } finally {
        thread.shutdownNow();
      }
    }
  }

  private static void awaitEnd(Future<?> task) throws ExecutionException, TimeoutException {
    try {
      task.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping a test thread", e);
    }
  }
}
