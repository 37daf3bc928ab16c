package dev.sluice.index;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * The condition behind {@link RequiresDocker}: enabled when Testcontainers finds a Docker engine;
 * otherwise disabled, or failed when the system property {@value #REQUIRE_DOCKER} is {@code true}
 * (the parent POM passes the Maven property of the same name to Surefire and Failsafe).
 */
public final class RequiresDockerCondition implements ExecutionCondition {

  /** The system property (and Maven property) that turns a missing Docker engine into a failure. */
  public static final String REQUIRE_DOCKER = "sluice.require-docker";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    // Evaluated for the class and again for each test; Testcontainers caches what it found.
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is available");
    }
    String test = context.getRequiredTestClass().getName();
    if (Boolean.getBoolean(REQUIRE_DOCKER)) {
      // Thrown rather than returned: JUnit reports the class as failed, which fails the build.
      throw new ExtensionConfigurationException("Docker is required (-D" + REQUIRE_DOCKER + "=true) but no Docker engine "
          + "is available, so " + test + " cannot run; start Docker or point DOCKER_HOST at an engine");
    }
    return ConditionEvaluationResult.disabled("no Docker engine is available: " + test + " skipped (-D" + REQUIRE_DOCKER
        + "=true makes this a failure)");
  }
}
