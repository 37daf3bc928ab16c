package dev.sluice.cli.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four services of one chaos run, each a child JVM running the service's real {@code main} on
 * this JVM's class path and configured only through {@code SLUICE_*} environment variables, as a
 * deployment would run them. Only processes started here are ever signalled, always by PID. A
 * shutdown hook kills whatever is still running if this JVM ends first. Not thread-safe: one run's
 * monitor thread owns it.
 */
final class ServiceProcesses implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  // A parse worker watches its parent and halts when it dies; give it this long to notice.
  private static final Duration ORPHAN_GRACE = Duration.ofSeconds(10);
  private static final String QUERY_READY = "query-service listening on";

  /**
   * Where and how the services of one run live.
   *
   * @param runDir holds each service's state directory and logs
   * @param bootstrap the broker
   * @param indexDir the Lucene index the index-worker writes and the query service reads
   * @param allowedRoot the one directory {@code file:} references may be read from
   * @param httpPort the query service's port on 127.0.0.1
   * @param token bearer token of the workload's tenant
   */
  record Settings(Path runDir, String bootstrap, Path indexDir, Path allowedRoot, int httpPort, String token) {}

  /** A {@code kill -9}: the victim's PID, and child processes of it that outlived it (then killed too). */
  record Killed(Service service, long pid, List<Long> orphans) {}

  /** A service that ended without being told to, and was started again. */
  record Exited(Service service, long pid, int exitCode) {}

  private static final class Child {
    Process process;
    Path log;
    int starts;
    long startedNanos;
  }

  private final Settings settings;
  private final Map<Service, Child> children = new EnumMap<>(Service.class);
  private final Thread reaper = new Thread(this::killAll, "chaos-child-reaper");

  ServiceProcesses(Settings settings) {
    this.settings = settings;
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts every service: the index-worker first (it creates the index the query service reads). */
  void startAll() {
    for (Service service : List.of(Service.INDEX, Service.EMBED, Service.INGEST, Service.QUERY)) {
      start(service);
    }
  }

  /** Starts {@code service} (again), logging to a new file under the run's {@code logs} directory. */
  void start(Service service) {
    Child child = children.computeIfAbsent(service, s -> new Child());
    child.starts++;
    child.startedNanos = System.nanoTime();
    child.log = settings.runDir().resolve("logs").resolve(service.processName() + "-" + child.starts + ".log");
    try {
      Files.createDirectories(child.log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command(service));
      Map<String, String> env = builder.environment();
      // Only what is set here configures the service: nothing leaks in from the caller's environment.
      env.keySet().removeIf(name -> name.startsWith("SLUICE_"));
      env.putAll(environment(service));
      builder.redirectErrorStream(true).redirectOutput(child.log.toFile());
      child.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + service.processName(), e);
    }
  }

  private static List<String> command(Service service) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Four service JVMs, the broker and this one may share two cores: a serial collector and the C1
    // compiler only (no C2 threads competing for the CPU) cut each run by about a quarter of its CPU
    // time, measured. They change how fast a service runs, not what it does, which is what is checked.
    command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      // As the sluice launcher runs them: Lucene's vectorised HNSW scoring needs the module.
      command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), service.mainClass()));
    return command;
  }

  private Map<String, String> environment(Service service) {
    Map<String, String> env = new java.util.HashMap<>();
    // A free port for each service's metrics. ServiceMain binds it on every interface (not
    // configurable): the one listener of a run that is not on 127.0.0.1 only.
    env.put("SLUICE_METRICS_PORT", "0");
    if (service.isStream()) {
      env.put("SLUICE_KAFKA_BOOTSTRAP_SERVERS", settings.bootstrap());
      env.put("SLUICE_STREAMS_STATE_DIR", settings.runDir().resolve("state").resolve(service.label()).toString());
      // Short commits bound what a crash replays and let the drain be seen sooner.
      env.put("SLUICE_STREAMS_COMMIT_INTERVAL_MS", "200");
    }
    switch (service) {
      case INGEST -> env.put("SLUICE_INGEST_ALLOWED_ROOTS", settings.allowedRoot().toString());
      case INDEX -> env.put("SLUICE_INDEX_DIR", settings.indexDir().toString());
      case QUERY -> {
        env.put("SLUICE_INDEX_DIR", settings.indexDir().toString());
        env.put("SLUICE_HTTP_HOST", "127.0.0.1");
        env.put("SLUICE_HTTP_PORT", Integer.toString(settings.httpPort()));
        env.put("SLUICE_AUTH_TOKENS", settings.token() + "=" + ChaosWorkload.TENANT);
        // The check after the drain asks for every document's status; the default limits would refuse most of it.
        env.put("SLUICE_SEARCH_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("SLUICE_SEARCH_RATE_LIMIT_BURST", "1000000");
      }
      case EMBED -> {
        // Defaults only: the model is the catalogue default.
      }
    }
    return env;
  }

  /**
   * Whether {@code service} is alive and serving: a stream service whose last logged state change is
   * {@code -> RUNNING} (the only outside sign that it has its tasks and restored its state), or a
   * query service that logged that it listens.
   */
  boolean isReady(Service service) {
    Child child = children.get(service);
    if (child == null || !child.process.isAlive()) {
      return false;
    }
    String log = read(child.log);
    if (!service.isStream()) {
      return log.contains(QUERY_READY);
    }
    Matcher transitions = Pattern.compile(Pattern.quote(service.processName()) + ": (\\w+) -> (\\w+)").matcher(log);
    String last = "";
    while (transitions.find()) {
      last = transitions.group(2);
    }
    return last.equals("RUNNING");
  }

  boolean allReady() {
    return children.keySet().stream().allMatch(this::isReady);
  }

  long pid(Service service) {
    return children.get(service).process.pid();
  }

  /**
   * {@code kill -9}s {@code service} ({@link Process#destroyForcibly} is SIGKILL on Linux) and waits
   * for it to end. Child processes it had (the ingest's parse workers) must end by themselves; any
   * still alive after a grace period is reported and killed, by PID.
   */
  Killed kill(Service service) throws InterruptedException {
    Process process = children.get(service).process;
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(service.processName() + " (pid " + process.pid() + ") survived SIGKILL");
    }
    long deadline = System.nanoTime() + ORPHAN_GRACE.toNanos();
    while (descendants.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    List<Long> orphans = new ArrayList<>();
    for (ProcessHandle left : descendants) {
      if (left.isAlive()) {
        orphans.add(left.pid());
        left.destroyForcibly();
      }
    }
    return new Killed(service, process.pid(), orphans);
  }

  /**
   * Starts again every service that ended although nobody stopped it, as a supervisor would, but not
   * one started less than {@code backoff} ago: a service that cannot start must not crash-loop on two cores.
   */
  List<Exited> restartExited(Duration backoff) {
    List<Exited> exited = new ArrayList<>();
    for (Map.Entry<Service, Child> entry : children.entrySet()) {
      Process process = entry.getValue().process;
      if (!process.isAlive() && System.nanoTime() - entry.getValue().startedNanos >= backoff.toNanos()) {
        exited.add(new Exited(entry.getKey(), process.pid(), process.exitValue()));
        start(entry.getKey());
      }
    }
    return exited;
  }

  /** The last {@code lines} lines of the current log of {@code service}, for failure reports. */
  String tail(Service service, int lines) {
    Child child = children.get(service);
    if (child == null) {
      return "(not started)";
    }
    List<String> all = read(child.log).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Stops every service with SIGTERM (each commits and closes), the query service and ingest first;
   * kills one that takes longer than 30 s.
   *
   * @return the services that had to be killed
   */
  List<Service> stopAll() throws InterruptedException {
    List<Service> order = List.of(Service.QUERY, Service.INGEST, Service.EMBED, Service.INDEX);
    for (Service service : order) {
      Child child = children.get(service);
      if (child != null) {
        child.process.destroy();
      }
    }
    List<Service> killed = new ArrayList<>();
    for (Service service : order) {
      Child child = children.get(service);
      if (child != null && !child.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        child.process.destroyForcibly();
        child.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        killed.add(service);
      }
    }
    return killed;
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it does the same.
    }
  }

  private void killAll() {
    for (Child child : children.values()) {
      if (child.process != null && child.process.isAlive()) {
        child.process.descendants().forEach(ProcessHandle::destroyForcibly);
        child.process.destroyForcibly();
      }
    }
  }

  private static String read(Path log) {
    try {
      // Lenient decoding: a log cut off mid-character by a kill must still be readable.
      return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
