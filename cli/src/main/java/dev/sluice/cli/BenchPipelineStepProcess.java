package dev.sluice.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one step of {@code sluice bench pipeline} in a JVM of its own, started like this one (same
 * java, same JVM options, same class path): each Sluice run starts as cold as {@code sluice local}
 * does, no step inherits another's heap, JIT or native threads, and a run's settings reach it as
 * environment variables. The step writes its result to a file; its output goes to a log.
 */
final class BenchPipelineStepProcess {
  private BenchPipelineStepProcess() {}

  /**
   * @param jar the build to run, when not this one
   * @param arguments the {@code sluice} arguments of the step
   * @param environment variables added to this process's environment
   * @param log where the step's output goes
   * @throws CliException when the step fails or overruns {@code timeout}
   */
  static void run(Optional<Path> jar, List<String> arguments, Map<String, String> environment, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(jar.map(Path::toString).orElseGet(() -> System.getProperty("java.class.path")));
    command.add(SluiceCli.class.getName());
    command.addAll(arguments);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        throw new CliException("step " + arguments + " ran longer than " + timeout.toMinutes() + " min; see " + log);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
    if (process.exitValue() != 0) {
      throw new CliException("step " + arguments + " failed (exit " + process.exitValue() + "): " + tail(log) + " (whole log: " + log + ")");
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }
}
