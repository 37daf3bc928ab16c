package dev.sluice.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared shape of a stream service's {@code main}: load and validate settings (a bad one stops the
 * process with its key named), start the service, serve metrics, close on SIGTERM.
 */
public final class ServiceMain {
  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);
  public static final String METRICS_PORT = "metrics.port";

  private ServiceMain() {}

  /** A running service that can be closed. */
  public interface Running extends AutoCloseable {
    void awaitStop() throws InterruptedException;

    @Override
    void close();
  }

  /**
   * Runs until the process is stopped.
   *
   * @param starter starts the service from its raw settings and the process-wide registry
   */
  public static void run(String name, Function<Context, Running> starter) {
    Map<String, String> settings = SettingsSource.load(SettingsSource.configFileFromEnvironment(), Map.of());
    PrometheusMeterRegistry registry = Metrics.newPrometheusRegistry();
    Running service;
    try {
      service = starter.apply(new Context(settings, registry));
    } catch (ConfigException e) {
      System.err.println(name + ": invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    } catch (FatalServiceException e) {
      System.err.println(name + ": cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    int port = Integer.parseInt(settings.getOrDefault(METRICS_PORT, "0"));
    MetricsEndpoint metrics = MetricsEndpoint.start("0.0.0.0", port, registry);
    log.info("{} started; metrics on :{}/metrics", name, metrics.port());
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      service.close();
      metrics.close();
    }, name + "-shutdown"));
    try {
      service.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!stopping.get()) {
      // It stopped by itself (a fatal failure, logged where it happened): a supervisor must see that.
      System.err.println(name + ": stopped after a fatal failure; see the log above");
      System.exit(1);
    }
  }

  /** What a service needs to start. */
  public record Context(Map<String, String> settings, PrometheusMeterRegistry registry) {}
}
