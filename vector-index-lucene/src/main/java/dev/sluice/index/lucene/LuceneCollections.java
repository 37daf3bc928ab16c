package dev.sluice.index.lucene;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.CollectionSpec.Metric;
import dev.sluice.index.VectorCollections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The collections and aliases of an embedded index root ({@link IndexLayout}): one Lucene directory
 * per collection, whose identity (model, dimension, metric) is recorded in its commit user data, and
 * one alias file swapped atomically. Thread-safe within one process (alias changes are serialised);
 * run alias changes from one process at a time.
 */
public final class LuceneCollections implements VectorCollections {

  private final Path root;
  private final AliasFile aliases;

  public LuceneCollections(Path root) {
    this.root = root;
    this.aliases = new AliasFile(root);
  }

  @Override
  public synchronized void create(CollectionSpec spec) {
    Optional<CollectionSpec> existing = read(spec.name());
    if (existing.isPresent()) {
      if (!existing.get().equals(spec)) {
        throw new IllegalStateException("collection '" + spec.name() + "' exists as " + existing.get()
            + "; a collection's model, dimension and metric never change (create a new collection)");
      }
      return;
    }
    LuceneVectorIndex.create(IndexLayout.collection(root, spec.name()), spec);
  }

  @Override
  public Optional<CollectionSpec> describe(String nameOrAlias) {
    return read(resolveAlias(nameOrAlias).orElse(nameOrAlias));
  }

  @Override
  public List<String> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(name -> !IndexLayout.DOCUMENTS.equals(name))
          .filter(name -> isIndex(root.resolve(name)))
          .sorted(Comparator.naturalOrder())
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list collections in " + root, e);
    }
    return List.copyOf(names);
  }

  @Override
  public synchronized void pointAlias(String alias, String collection) {
    CollectionSpec.requireValidName(alias);
    if (!isIndex(IndexLayout.collection(root, collection))) {
      throw new IllegalArgumentException("no collection '" + collection + "' in " + root);
    }
    Map<String, String> next = new TreeMap<>(aliases.read());
    if (collection.equals(next.put(alias, collection))) {
      return;
    }
    aliases.write(next);
  }

  @Override
  public Optional<String> resolveAlias(String alias) {
    return Optional.ofNullable(aliases.read().get(alias));
  }

  /** Removes the directory of a collection no alias points at. The collection must not be open. */
  @Override
  public synchronized void drop(String collection) {
    aliases.read().forEach((alias, target) -> {
      if (target.equals(collection)) {
        throw new IllegalStateException("alias '" + alias + "' points at collection '" + collection + "'; move it first");
      }
    });
    Path dir = IndexLayout.collection(root, collection);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot drop collection " + dir, e);
    }
  }

  private Optional<CollectionSpec> read(String name) {
    Path dir = IndexLayout.collection(root, name);
    if (!isIndex(dir)) {
      return Optional.empty();
    }
    try (Directory directory = FSDirectory.open(dir)) {
      Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
      String model = data.get(CollectionGuard.MODEL_KEY);
      String dimension = data.get(CollectionGuard.DIMENSION_KEY);
      if (model == null || dimension == null) {
        // Created implicitly and not yet written to: it has no identity yet.
        return Optional.empty();
      }
      Metric metric = Metric.valueOf(data.getOrDefault(CollectionGuard.METRIC_KEY, Metric.COSINE.name()));
      return Optional.of(new CollectionSpec(name, model, Integer.parseInt(dimension), metric));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read collection " + dir, e);
    }
  }

  private static boolean isIndex(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Directory directory = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + dir, e);
    }
  }
}
