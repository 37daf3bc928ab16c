package dev.sluice.cli.chaos;

import dev.sluice.cli.FilePublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The ingest every chaos run replays: generated text documents of one to three paragraphs (one chunk
 * each) and a fixed sequence of file writes and document events over them, identical for every run
 * of one seed and size, so a run with faults can be compared with a clean one.
 *
 * <p>The events go through the same machinery as {@code sluice publish} ({@link FilePublisher}):
 * version = the file's last-modified time (set explicitly, so both runs publish the same versions),
 * content inline up to {@value #INLINE_MAX_BYTES} bytes and by {@code file:} reference above. In
 * order: every document; edits of 20 % (a paragraph replaced, added or removed); deletes of 10 %;
 * re-publishes (half of the deleted documents restored, 10 % republished unchanged at a newer
 * version, 5 % sent again at the same version, which the ingest must drop); late edits of 5 %. A few
 * documents are invalid on purpose (an empty one, and references outside the allowed root) so that
 * the dead-letter topic has entries to compare.
 */
final class ChaosWorkload {
  static final String TENANT = "chaos";
  /** The only directory under the corpus root that {@code file:} references may read. */
  static final String ALLOWED_DIR = "docs";
  static final long INLINE_MAX_BYTES = 512;
  private static final String OUTSIDE_DIR = "outside";
  // Fixed, so that every run publishes the very same versions.
  private static final long BASE_VERSION = 1_700_000_000_000L;
  private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);

  /** One thing the workload does, in order. */
  sealed interface Step permits Write, Touch, Upsert, Delete {}

  /** Replaces the file's content (atomically) and sets its version. */
  record Write(String path, String content, long version) implements Step {}

  /** Sets the file's version without changing its content. */
  record Touch(String path, long version) implements Step {}

  /** Publishes an UPSERT of the file at its current version. */
  record Upsert(String path) implements Step {}

  /** Publishes a DELETE of the file's document at its current version. */
  record Delete(String path) implements Step {}

  /**
   * What the workload implies for one document once everything is processed: the independent check
   * of the clean run.
   *
   * @param state {@code indexed}, {@code deleted} or {@code failed}
   * @param version the version its status must carry
   */
  record Expectation(String state, long version) {}

  /** What the workload holds, for the report. */
  record Summary(int documents, int invalid, int events, int edits, int deletes, int restores, int unchangedRepublishes,
      int resends, int lateEdits, int byReference) {
    String describe() {
      return String.format(java.util.Locale.ROOT,
          "%d documents (+%d invalid on purpose), %d events: %d edits, %d deletes, %d restores, %d unchanged re-publishes, "
              + "%d same-version resends, %d late edits; %d upserts by file: reference",
          documents, invalid, events, edits, deletes, restores, unchangedRepublishes, resends, lateEdits, byReference);
    }
  }

  private final List<Step> steps;
  private final Map<String, Expectation> expectations;
  private final Summary summary;

  private ChaosWorkload(List<Step> steps, Map<String, Expectation> expectations, Summary summary) {
    this.steps = List.copyOf(steps);
    this.expectations = Collections.unmodifiableMap(expectations);
    this.summary = summary;
  }

  /** The workload of {@code documents} documents for {@code seed}; the same arguments give the same workload. */
  static ChaosWorkload generate(long seed, int documents) {
    return new Generator(new Random(seed), documents).generate();
  }

  List<Step> steps() {
    return steps;
  }

  /** Every docId the workload publishes, with what the pipeline must end with. */
  Map<String, Expectation> expectations() {
    return expectations;
  }

  Summary summary() {
    return summary;
  }

  /**
   * Runs the steps under {@code root} (files are written there; {@code root/docs} is the root that
   * {@code file:} references may read) and waits until the broker has acknowledged every event.
   */
  void publish(Path root, FilePublisher publisher) throws IOException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Step step : steps) {
      switch (step) {
        case Write w -> {
          Path file = root.resolve(w.path());
          Files.createDirectories(file.getParent());
          // Atomically, as an editor saving a file would: an ingest reading a reference never sees half a file.
          Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
          Files.writeString(temp, w.content(), StandardCharsets.UTF_8);
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          Files.setLastModifiedTime(file, FileTime.fromMillis(w.version()));
        }
        case Touch t -> Files.setLastModifiedTime(root.resolve(t.path()), FileTime.fromMillis(t.version()));
        case Upsert u -> sent.add(publisher.upsert(root, root.resolve(u.path())));
        case Delete d -> sent.add(publisher.delete(root, root.resolve(d.path())));
      }
    }
    for (Future<RecordMetadata> send : sent) {
      try {
        send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("the broker did not acknowledge a workload event: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while publishing the workload", e);
      }
    }
  }

  /** Builds one workload from a seeded random source. Not thread-safe. */
  private static final class Generator {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "tas", "vo", "dor", "el", "fi", "gan", "hu", "ix",
        "jen", "ko", "lum", "mar", "nes", "ob", "pra", "qui", "ros", "sel", "tor", "ul", "ven", "wis", "yar", "zel", "an",
        "ber", "cal", "den", "er", "gor", "hal", "in", "jor", "kel", "lin", "mor"};

    private final Random random;
    private final int documents;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, List<String>> content = new LinkedHashMap<>();
    private final Map<String, Expectation> expectations = new LinkedHashMap<>();
    private int events;
    private int byReference;

    Generator(Random random, int documents) {
      this.random = random;
      this.documents = documents;
    }

    ChaosWorkload generate() {
      List<String> docs = new ArrayList<>();
      for (int i = 1; i <= documents; i++) {
        String path = ALLOWED_DIR + "/doc-" + String.format("%05d", i) + ".txt";
        docs.add(path);
        List<String> paragraphs = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int p = 0; p < count; p++) {
          paragraphs.add(paragraph());
        }
        write(path, paragraphs, version(1));
        upsert(path, "indexed", version(1));
      }
      // Invalid on purpose, one of each kind per 200 documents: empty content, and a reference outside the allowed root.
      int invalid = 0;
      for (int i = 1; i <= Math.max(1, documents / 200); i++) {
        String empty = ALLOWED_DIR + "/empty-" + i + ".txt";
        write(empty, List.of(), version(1));
        upsert(empty, "failed", version(1));
        String outside = OUTSIDE_DIR + "/private-" + i + ".txt";
        List<String> large = new ArrayList<>();
        while (String.join("\n\n", large).length() <= INLINE_MAX_BYTES) {
          large.add(paragraph());
        }
        write(outside, large, version(1));
        upsert(outside, "failed", version(1));
        invalid += 2;
      }

      List<String> edited = pick(docs, share(0.20));
      for (String path : edited) {
        write(path, edit(content.get(path)), version(2));
        upsert(path, "indexed", version(2));
      }
      List<String> deleted = pick(docs, share(0.10));
      for (String path : deleted) {
        steps.add(new Touch(path, version(3)));
        steps.add(new Delete(path));
        events++;
        expectations.put(path, new Expectation("deleted", version(3)));
      }
      List<String> restored = deleted.subList(0, deleted.size() / 2);
      for (String path : restored) {
        steps.add(new Touch(path, version(4)));
        upsert(path, "indexed", version(4));
      }
      List<String> live = new ArrayList<>(docs);
      live.removeAll(deleted.subList(restored.size(), deleted.size()));
      List<String> unchanged = pick(without(live, restored), share(0.10));
      for (String path : unchanged) {
        steps.add(new Touch(path, version(4)));
        upsert(path, "indexed", version(4));
      }
      List<String> resent = pick(without(live, restored), share(0.05));
      for (String path : resent) {
        // Same version again: the ingest's version guard must drop it, and nothing may change.
        steps.add(new Upsert(path));
        events++;
      }
      List<String> lateEdits = pick(live, share(0.05));
      for (String path : lateEdits) {
        write(path, edit(content.get(path)), version(5));
        upsert(path, "indexed", version(5));
      }
      Summary summary = new Summary(documents, invalid, events, edited.size(), deleted.size(), restored.size(),
          unchanged.size(), resent.size(), lateEdits.size(), byReference);
      return new ChaosWorkload(steps, expectations, summary);
    }

    private static long version(int phase) {
      return BASE_VERSION + phase * 1000L;
    }

    private void write(String path, List<String> paragraphs, long version) {
      content.put(path, List.copyOf(paragraphs));
      steps.add(new Write(path, String.join("\n\n", paragraphs), version));
    }

    private void upsert(String path, String state, long version) {
      steps.add(new Upsert(path));
      events++;
      if (String.join("\n\n", content.get(path)).getBytes(StandardCharsets.UTF_8).length > INLINE_MAX_BYTES) {
        byReference++;
      }
      // The docId of a file is its path relative to the corpus root, as sluice publish names it.
      expectations.put(path, new Expectation(state, version));
    }

    /** A new version of a document: one paragraph replaced, one added, or one removed. */
    private List<String> edit(List<String> paragraphs) {
      List<String> next = new ArrayList<>(paragraphs);
      int choice = random.nextInt(3);
      if (choice == 1 && next.size() < 3) {
        next.add(random.nextInt(next.size() + 1), paragraph());
      } else if (choice == 2 && next.size() > 1) {
        next.remove(random.nextInt(next.size()));
      } else {
        next.set(random.nextInt(next.size()), paragraph());
      }
      return next;
    }

    /** That share of all documents, as a count. */
    private int share(double fraction) {
      return (int) Math.round(documents * fraction);
    }

    /** {@code count} distinct entries of {@code from} (fewer if it is shorter), in a seeded random order. */
    private List<String> pick(List<String> from, int count) {
      List<String> shuffled = new ArrayList<>(from);
      Collections.shuffle(shuffled, random);
      return new ArrayList<>(shuffled.subList(0, Math.min(shuffled.size(), count)));
    }

    private static List<String> without(List<String> from, List<String> excluded) {
      List<String> rest = new ArrayList<>(from);
      rest.removeAll(excluded);
      return rest;
    }

    // 2 to 5 sentences of 6 to 12 made-up words: long enough to be a chunk of its own (the chunker's
    // minimum is a tenth of the 256-token budget), short enough that three stay under one chunk each.
    private String paragraph() {
      StringBuilder text = new StringBuilder();
      int sentences = 2 + random.nextInt(4);
      for (int s = 0; s < sentences; s++) {
        int words = 6 + random.nextInt(7);
        for (int w = 0; w < words; w++) {
          String word = word();
          text.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
          text.append(w == words - 1 ? ". " : " ");
        }
      }
      return text.toString().strip();
    }

    private String word() {
      StringBuilder word = new StringBuilder();
      int syllables = 1 + random.nextInt(3);
      for (int i = 0; i < syllables; i++) {
        word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
      }
      return word.toString();
    }
  }
}
