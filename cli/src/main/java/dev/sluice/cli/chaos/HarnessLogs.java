package dev.sluice.cli.chaos;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.slf4j.LoggerFactory;

/**
 * Sends the logs of what runs inside the suite's own JVM (the embedded broker, the Kafka clients
 * that probe it) to a file in the work directory, and keeps Lucene's notes on reading the indexes
 * quiet, so that the terminal shows the suite's progress only. A broker under chaos logs errors by design (fenced producers,
 * out-of-order sequences after a restart); each service's own log is kept in its run directory.
 */
final class HarnessLogs {
  private static final List<String> LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger", "dev.sluice.kafka.embedded");
  // Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level.
  private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

  private HarnessLogs() {}

  /** Redirects the in-process loggers to {@code file}; does nothing when logback is not the SLF4J backend. */
  static void redirectTo(Path file) {
    LUCENE.setLevel(Level.SEVERE);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("chaos-harness");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    for (String name : LOGGERS) {
      Logger logger = context.getLogger(name);
      logger.detachAppender("chaos-harness");
      logger.addAppender(appender);
      logger.setAdditive(false);
    }
  }
}
