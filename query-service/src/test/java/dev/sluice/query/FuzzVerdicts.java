package dev.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the replies of an HTTP fuzz run against the API's promise: never a 5xx, and every 4xx a
 * JSON {@code {"error": {"code", "message"}}} without a stack trace. Keeps the first few violations
 * with the input that caused them, so a failure says what to replay.
 */
final class FuzzVerdicts {
  private final String target;
  private final Fuzz.Tally statuses = new Fuzz.Tally();
  private final List<String> violations = new ArrayList<>();
  private long inputs;
  private long fiveXx;
  private long crashes;
  private long stuck;
  private long protocol505;

  FuzzVerdicts(String target) {
    this.target = target;
  }

  /**
   * Records one reply to {@code input} (a description for the failure message).
   *
   * @param mayCloseWithoutAnswer whether the request was malformed at the framing level (cut short),
   *     so that closing the connection is a fair answer
   */
  void judge(String input, RawHttp.Reply reply, boolean mayCloseWithoutAnswer) {
    judge(input, reply, mayCloseWithoutAnswer, false, false);
  }

  /**
   * Records the reply to a raw request: a HEAD reply has no body to judge (only its type), and a
   * request line naming an HTTP version other than 1.0 or 1.1 may be answered 505, the status RFC
   * 9110 prescribes for it, which Jetty's parser sends before any code of ours runs. Those 505s are
   * counted apart ({@code protocol-505}), not hidden.
   */
  void judgeRaw(byte[] request, RawHttp.Reply reply, boolean mayCloseWithoutAnswer) {
    String text = new String(request, 0, Math.min(request.length, 600), StandardCharsets.ISO_8859_1);
    String requestLine = text.split("\r?\n", 2)[0];
    boolean head = requestLine.startsWith("HEAD ");
    boolean otherVersion = !requestLine.matches("\\S+ \\S+ HTTP/1\\.[01]");
    judge(text, reply, mayCloseWithoutAnswer, head, otherVersion);
  }

  private void judge(String input, RawHttp.Reply reply, boolean mayCloseWithoutAnswer, boolean head, boolean otherVersion) {
    inputs++;
    if (reply.timedOut()) {
      stuck++;
      statuses.add("timeout");
      violation(input, "no reply within the timeout");
      return;
    }
    if (!reply.answered()) {
      statuses.add("closed");
      if (!mayCloseWithoutAnswer) {
        crashes++;
        violation(input, "connection closed without a response");
      }
      return;
    }
    statuses.add(Integer.toString(reply.status()));
    if (reply.status() == 505 && otherVersion) {
      protocol505++;
    } else if (reply.status() >= 500) {
      fiveXx++;
      violation(input, reply.status() + " " + reply.body());
    } else if (reply.status() >= 400 && head) {
      if (!reply.header("Content-Type").orElse("").startsWith("application/json")) {
        violation(input, reply.status() + " to HEAD with Content-Type " + reply.header("Content-Type").orElse("(none)"));
      }
    } else if (reply.status() >= 400) {
      errorShape(reply).ifPresent(problem -> violation(input, reply.status() + " " + problem + ": " + reply.body()));
    }
  }

  /** Why a 4xx reply is not the API's error shape, or empty when it is. */
  static Optional<String> errorShape(RawHttp.Reply reply) {
    if (!reply.header("Content-Type").orElse("").startsWith("application/json")) {
      return Optional.of("Content-Type is " + reply.header("Content-Type").orElse("(none)"));
    }
    JsonNode body;
    try {
      body = ApiFixture.JSON.readTree(reply.body());
    } catch (IOException e) {
      return Optional.of("body is not JSON");
    }
    JsonNode error = body == null ? null : body.get("error");
    if (body.size() != 1 || error == null || !error.path("code").isTextual() || error.path("code").asText().isEmpty()
        || !error.path("message").isTextual() || error.path("message").asText().isEmpty()) {
      return Optional.of("body is not {error: {code, message}}");
    }
    if (reply.body().contains("\tat ") || reply.body().contains(".java:")) {
      return Optional.of("body carries a stack trace");
    }
    return Optional.empty();
  }

  private void violation(String input, String what) {
    if (violations.size() < 8) {
      String shown = input.length() > 300 ? input.substring(0, 300) + "...(" + input.length() + " chars)" : input;
      violations.add((what.length() > 400 ? what.substring(0, 400) : what) + "\n    input: " + shown.replace("\r", "\\r").replace("\n", "\\n"));
    } else if (violations.size() == 8) {
      violations.add("...");
    }
  }

  long fiveXx() {
    return fiveXx;
  }

  long crashes() {
    return crashes;
  }

  long stuck() {
    return stuck;
  }

  long inputs() {
    return inputs;
  }

  List<String> violations() {
    return violations;
  }

  void printSummary() {
    Fuzz.summary(target, inputs, fiveXx, crashes, stuck, "protocol-505=" + protocol505 + " violations=" + (violations.isEmpty() ? 0 : violations.size())
        + " statuses=" + statuses);
  }
}
