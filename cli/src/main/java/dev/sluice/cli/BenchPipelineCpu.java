package dev.sluice.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process by who spent it, at one instant; the difference of two snapshots is what
 * a measured interval cost. Java threads are grouped by the service in their name; what the process
 * spent outside Java threads is ONNX Runtime's own thread pool, garbage collection and the JIT.
 * Child processes (the parse workers) count apart, including those that exited in between.
 *
 * @param processNanos this JVM, every thread
 * @param childrenNanos live child processes by pid
 * @param reapedChildrenNanos children this JVM has waited for (exited)
 * @param javaThreadNanos Java threads by group
 */
record BenchPipelineCpu(long processNanos, Map<Long, Long> childrenNanos, long reapedChildrenNanos, Map<String, Long> javaThreadNanos) {
  /** Groups of Java threads, by a fragment of their names; a thread belongs to the first group that names it. */
  static final String INGEST = "ingest";
  static final String EMBED = "embed";
  static final String INDEX = "index";
  static final String QUERY = "query";
  static final String OTHER_JAVA = "other-java";
  private static final Map<String, List<String>> GROUPS = groups();
  // USER_HZ, which Linux reports times in to user space, is 100 on every mainstream architecture.
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  static BenchPipelineCpu now() {
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    Map<Long, Long> children = new HashMap<>();
    ProcessHandle.current().descendants().forEach(p -> p.info().totalCpuDuration()
        .ifPresent(cpu -> children.put(p.pid(), cpu.toNanos())));
    return new BenchPipelineCpu(process, children, readReapedChildren(), javaThreads());
  }

  // Kafka Streams names a service's stream threads and its clients' threads after its application
  // id; the parse workers' pipes are the ingest's; the query API serves on Jetty, and the bench's own
  // polling arrives there and leaves from the HTTP client. What is left is mostly the broker.
  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    groups.put(INGEST, List.of("sluice-ingest", "sluice-parse-worker"));
    groups.put(EMBED, List.of("sluice-embed"));
    groups.put(INDEX, List.of("sluice-index", "sluice-lucene"));
    groups.put(QUERY, List.of("JettyServerThreadPool", "HttpClient"));
    return groups;
  }

  private static Map<String, Long> javaThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new LinkedHashMap<>();
    GROUPS.keySet().forEach(g -> byGroup.put(g, 0L));
    byGroup.put(OTHER_JAVA, 0L);
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (infos[i] == null || cpu < 0) {
        continue;
      }
      String name = infos[i].getThreadName();
      String group = GROUPS.entrySet().stream().filter(g -> g.getValue().stream().anyMatch(name::contains))
          .map(Map.Entry::getKey).findFirst().orElse(OTHER_JAVA);
      byGroup.merge(group, cpu, Long::sum);
    }
    return byGroup;
  }

  // cutime + cstime of /proc/self/stat: children this JVM has waited for (a parse worker that was
  // recycled or killed); 0 where /proc is not there.
  private static long readReapedChildren() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields after "(comm)" start at field 3 (state); cutime and cstime are fields 16 and 17.
      long ticks = Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
      return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Waits, at most {@code limit}, until this process and its children together use less than {@code
   * cores} over a {@code window}: until the JIT compilations and collections that a warm-up leaves
   * behind are done, which the measured interval would otherwise pay for.
   */
  static void awaitQuiet(double cores, Duration window, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    BenchPipelineCpu last = now();
    while (System.nanoTime() < deadline) {
      Thread.sleep(window.toMillis());
      BenchPipelineCpu next = now();
      Spent spent = next.since(last);
      if (spent.process().plus(spent.children()).toNanos() < cores * window.toNanos()) {
        return;
      }
      last = next;
    }
  }

  /** What was spent from {@code before} to this snapshot. */
  Spent since(BenchPipelineCpu before) {
    long children = reapedChildrenNanos - before.reapedChildrenNanos;
    for (Map.Entry<Long, Long> child : childrenNanos.entrySet()) {
      children += child.getValue() - before.childrenNanos.getOrDefault(child.getKey(), 0L);
    }
    Map<String, Duration> threads = new LinkedHashMap<>();
    long javaTotal = 0;
    for (Map.Entry<String, Long> group : javaThreadNanos.entrySet()) {
      long spent = Math.max(0, group.getValue() - before.javaThreadNanos.getOrDefault(group.getKey(), 0L));
      threads.put(group.getKey(), Duration.ofNanos(spent));
      javaTotal += spent;
    }
    long process = processNanos - before.processNanos;
    return new Spent(Duration.ofNanos(process), Duration.ofNanos(Math.max(0, children)), threads,
        Duration.ofNanos(Math.max(0, process - javaTotal)));
  }

  /**
   * CPU spent over an interval.
   *
   * @param process this JVM
   * @param children child processes (parse workers)
   * @param javaThreads Java threads by group
   * @param outsideJavaThreads this JVM outside Java threads: ONNX Runtime's pool, GC, JIT
   */
  record Spent(Duration process, Duration children, Map<String, Duration> javaThreads, Duration outsideJavaThreads) {
    Duration javaThreads(String group) {
      return javaThreads.getOrDefault(group, Duration.ZERO);
    }
  }
}
