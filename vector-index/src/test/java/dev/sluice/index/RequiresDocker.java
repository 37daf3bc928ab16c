package dev.sluice.index;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a Docker engine (Testcontainers). Without one, the class is skipped,
 * so a laptop without Docker still builds; unless the build says Docker is required ({@code
 * -Dsluice.require-docker=true}, as CI does), in which case it fails, so a CI machine that lost its
 * Docker engine cannot pass by skipping every integration test. See {@link RequiresDockerCondition}.
 *
 * <p>Use it instead of {@code @Testcontainers(disabledWithoutDocker = true)}, which always skips.
 * The module needs {@code org.testcontainers:testcontainers} on its test classpath.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresDockerCondition.class)
public @interface RequiresDocker {}
