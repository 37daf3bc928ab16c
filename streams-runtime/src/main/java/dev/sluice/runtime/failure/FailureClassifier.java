package dev.sluice.runtime.failure;

import dev.sluice.runtime.FatalServiceException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells bad records, infrastructure failures and fatal errors apart, by looking at every exception
 * of a failure's cause chain (Kafka Streams wraps what a processor throws, often twice):
 *
 * <ul>
 *   <li>{@link FailureKind#FATAL} if any of them is a {@link FatalServiceException}, an {@link
 *       Error}, or a Kafka authentication or authorization failure;
 *   <li>otherwise {@link FailureKind#INFRASTRUCTURE} if any of them is an {@link
 *       InfrastructureFailure}, a Kafka {@link RetriableException}, a connection refusal or a
 *       timeout ({@link ConnectException}, {@link SocketTimeoutException}, {@link
 *       HttpTimeoutException}, {@link TimeoutException}), an interrupt ({@link
 *       InterruptedException}, {@link InterruptedIOException}), or is, extends or implements one of
 *       the configured class names;
 *   <li>otherwise {@link FailureKind#BAD_RECORD}.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class FailureClassifier {
  // Deep enough for any real wrapping; bounds the walk should a chain be malformed.
  private static final int MAX_DEPTH = 32;
  // An interrupt stops the thread waiting on a dependency (a closing service); it says nothing of the record.
  private static final List<Class<?>> INFRASTRUCTURE = List.of(InfrastructureFailure.class, RetriableException.class,
      ConnectException.class, SocketTimeoutException.class, HttpTimeoutException.class, TimeoutException.class,
      InterruptedException.class, InterruptedIOException.class);

  private final Set<String> infrastructureNames;

  private FailureClassifier(Set<String> infrastructureNames) {
    this.infrastructureNames = infrastructureNames;
  }

  /** The built-in classification only. */
  public static FailureClassifier standard() {
    return new FailureClassifier(Set.of());
  }

  /**
   * The built-in classification, with these exception classes (fully qualified names, matched
   * against each exception's class, superclasses and interfaces) counted as infrastructure.
   */
  public static FailureClassifier withInfrastructure(Collection<String> classNames) {
    return new FailureClassifier(Set.copyOf(classNames));
  }

  /** The kind of {@code failure}. */
  public FailureKind classify(Throwable failure) {
    List<Throwable> chain = chain(failure);
    if (chain.stream().anyMatch(FailureClassifier::isFatal)) {
      return FailureKind.FATAL;
    }
    if (chain.stream().anyMatch(this::isInfrastructure)) {
      return FailureKind.INFRASTRUCTURE;
    }
    return FailureKind.BAD_RECORD;
  }

  /**
   * The exception of {@code failure}'s chain that decided its kind: the first fatal one, else the
   * first infrastructure one, else the root cause. Its message is the one worth logging.
   */
  public Throwable decisive(Throwable failure) {
    List<Throwable> chain = chain(failure);
    return chain.stream().filter(FailureClassifier::isFatal).findFirst()
        .or(() -> chain.stream().filter(this::isInfrastructure).findFirst())
        .orElse(chain.get(chain.size() - 1));
  }

  /** {@code SimpleName: message}, and the root cause's when it is another exception. */
  public static String describe(Throwable failure) {
    List<Throwable> chain = chain(failure);
    Throwable root = chain.get(chain.size() - 1);
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return root == failure ? text : text + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  private static boolean isFatal(Throwable t) {
    return t instanceof FatalServiceException || t instanceof Error
        || t instanceof AuthenticationException || t instanceof AuthorizationException;
  }

  private boolean isInfrastructure(Throwable t) {
    for (Class<?> type : INFRASTRUCTURE) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return !infrastructureNames.isEmpty() && namesOf(t.getClass()).stream().anyMatch(infrastructureNames::contains);
  }

  private static Set<String> namesOf(Class<?> type) {
    Set<String> names = new HashSet<>();
    List<Class<?>> pending = new ArrayList<>(List.of(type));
    while (!pending.isEmpty()) {
      Class<?> current = pending.remove(pending.size() - 1);
      if (current != null && names.add(current.getName())) {
        pending.add(current.getSuperclass());
        pending.addAll(List.of(current.getInterfaces()));
      }
    }
    return names;
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
