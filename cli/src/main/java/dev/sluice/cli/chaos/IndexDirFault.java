package dev.sluice.cli.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the index directory unwritable for a while, by the first means that works for the user the
 * suite runs as, found by trying each on a scratch directory:
 *
 * <ol>
 *   <li>{@code chmod a-w} on every directory of the index (no file can be created, renamed or
 *       removed there; Lucene writes every segment and commit as new files);
 *   <li>{@code chattr +i} on the same directories, where chmod does not bind (root, or any process
 *       with CAP_DAC_OVERRIDE, as in most CI containers) but the file system and CAP_LINUX_IMMUTABLE
 *       allow it: the same effect, for root too;
 *   <li>otherwise no directory fault is possible here, and the closest honest substitute is used and
 *       labelled as such: the index-worker is frozen with SIGSTOP and resumed with SIGCONT.
 * </ol>
 *
 * <p>A fault in force is always lifted, by {@link Active#close} or, if this JVM ends first, by a
 * shutdown hook: an immutable directory left behind could not even be deleted. Only a {@code kill
 * -9} of the suite itself can leave one; {@code chattr -R -i DIR} undoes it.
 */
final class IndexDirFault {
  /** How the fault is made. */
  enum Method {
    CHMOD("index directory not writable (chmod a-w)"),
    CHATTR("index directory not writable (chattr +i; chmod does not bind this user)"),
    SIGSTOP("index-worker frozen with SIGSTOP (no way to make a directory unwritable for this user)");

    private final String description;

    Method(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  /** A fault in force; closing lifts it. */
  interface Active extends AutoCloseable {
    @Override
    void close();
  }

  private final Method method;

  private IndexDirFault(Method method) {
    this.method = method;
  }

  Method method() {
    return method;
  }

  /** Finds which method works for this user, by trying them under {@code scratch}. */
  static IndexDirFault detect(Path scratch) {
    try {
      Files.createDirectories(scratch);
      if (chmodBinds(scratch)) {
        return new IndexDirFault(Method.CHMOD);
      }
      if (chattrBinds(scratch)) {
        return new IndexDirFault(Method.CHATTR);
      }
      return new IndexDirFault(Method.SIGSTOP);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot probe how to make a directory unwritable under " + scratch, e);
    }
  }

  /**
   * Puts the fault in force on {@code indexDir}, or on the index-worker with pid {@code indexWorker}
   * for {@link Method#SIGSTOP}.
   */
  Active apply(Path indexDir, long indexWorker) {
    Active active = switch (method) {
      case CHMOD -> readOnlyByPermissions(directories(indexDir));
      case CHATTR -> immutable(directories(indexDir));
      case SIGSTOP -> frozen(indexWorker);
    };
    Thread hook = new Thread(active::close, "chaos-lift-index-fault");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      active.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook lifts it (again, harmlessly).
      }
    };
  }

  private static List<Path> directories(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static Active readOnlyByPermissions(List<Path> dirs) {
    Map<Path, Set<PosixFilePermission>> saved = new LinkedHashMap<>();
    try {
      for (Path dir : dirs) {
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
        saved.put(dir, before);
        Set<PosixFilePermission> without = EnumSet.copyOf(before);
        without.removeAll(EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        Files.setPosixFilePermissions(dir, without);
      }
    } catch (IOException e) {
      restore(saved);
      throw new UncheckedIOException("cannot chmod the index directories", e);
    }
    return () -> restore(saved);
  }

  private static void restore(Map<Path, Set<PosixFilePermission>> saved) {
    saved.forEach((dir, permissions) -> {
      try {
        Files.setPosixFilePermissions(dir, permissions);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restore the permissions of " + dir, e);
      }
    });
  }

  private static Active immutable(List<Path> dirs) {
    List<Path> done = new ArrayList<>();
    for (Path dir : dirs) {
      if (!run("chattr", "+i", dir.toString())) {
        done.forEach(d -> run("chattr", "-i", d.toString()));
        throw new IllegalStateException("chattr +i " + dir + " failed");
      }
      done.add(dir);
    }
    List<Path> reverse = new ArrayList<>(done);
    Collections.reverse(reverse);
    return () -> reverse.forEach(d -> run("chattr", "-i", d.toString()));
  }

  private static Active frozen(long pid) {
    if (!run("kill", "-STOP", Long.toString(pid))) {
      throw new IllegalStateException("cannot SIGSTOP the index-worker (pid " + pid + ")");
    }
    return () -> run("kill", "-CONT", Long.toString(pid));
  }

  private static boolean chmodBinds(Path scratch) throws IOException {
    Path probe = Files.createTempDirectory(scratch, "chmod-probe");
    try {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("r-xr-xr-x"));
      return !canCreateIn(probe);
    } finally {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
      deleteTree(probe);
    }
  }

  private static boolean chattrBinds(Path scratch) throws IOException {
    Path probe = Files.createTempDirectory(scratch, "chattr-probe");
    try {
      return run("chattr", "+i", probe.toString()) && !canCreateIn(probe);
    } finally {
      run("chattr", "-i", probe.toString());
      deleteTree(probe);
    }
  }

  private static boolean canCreateIn(Path dir) {
    try {
      Files.delete(Files.createFile(dir.resolve("probe")));
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Runs a command; false when it is missing, fails or hangs. */
  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
