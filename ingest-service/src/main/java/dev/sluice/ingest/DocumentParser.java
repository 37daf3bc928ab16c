package dev.sluice.ingest;

/** Parses one document at a time within the configured limits and timeout. Not thread-safe. */
interface DocumentParser extends AutoCloseable {

  /** The document's text, or a {@link ParseFailure} with its reason; never hangs past the timeout. */
  ParsedDocument parse(ParseRequest request) throws ParseFailure;

  /** Gets ready to parse (starts a worker process), so that the first parse does not wait for it. */
  void start();

  /** Stops whatever runs the parses (thread, child process). */
  @Override
  void close();
}
