package dev.sluice.ingest;

/**
 * How parsing is isolated from the stream threads.
 *
 * @param mode {@link Mode#PROCESS} (default) or {@link Mode#THREAD}
 * @param workers parsers run at once, each a child JVM in process mode; one per stream thread is
 *     enough since a stream thread parses one document at a time
 * @param workerHeapMb heap of each child JVM: the memory one document's parse may use
 */
public record ParserIsolation(Mode mode, int workers, int workerHeapMb) {
  public static final ParserIsolation DEFAULT = new ParserIsolation(Mode.PROCESS, 1, 512);

  /** Where a parse runs. */
  public enum Mode {
    /**
     * In a child JVM with its own heap: a parser that loops is killed at the timeout, one that
     * exhausts memory dies alone; either way the child is replaced and the partition moves on.
     */
    PROCESS,
    /**
     * On a thread of the service's JVM with a timeout: cheaper, but a parser that ignores interrupts
     * keeps its thread (and a core) after the timeout, and its memory is the service's. For
     * environments that cannot start a JVM.
     */
    THREAD
  }
}
