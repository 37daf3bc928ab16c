package dev.sluice.embedding.onnx;

import dev.sluice.embedding.ModelSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per catalogue model per JVM. The weights are most of a model's memory
 * and a session serves concurrent runs, so every {@link OnnxEmbeddingModel} of a name shares one;
 * a count of users closes it with the last.
 */
final class SharedSessions {

  private static final Map<String, Shared> OPEN = new HashMap<>();

  private SharedSessions() {}

  static synchronized OnnxSession acquire(ModelSpec spec) {
    Shared shared = OPEN.computeIfAbsent(spec.name(), name -> new Shared(OnnxSession.load(spec)));
    shared.users++;
    return shared.session;
  }

  static synchronized void release(OnnxSession session) {
    Shared shared = OPEN.get(session.name());
    if (shared == null || shared.session != session) {
      throw new IllegalStateException("Session of model '" + session.name() + "' is not open");
    }
    shared.users--;
    if (shared.users == 0) {
      OPEN.remove(session.name());
      session.close();
    }
  }

  private static final class Shared {
    private final OnnxSession session;
    private int users;

    private Shared(OnnxSession session) {
      this.session = session;
    }
  }
}
