package dev.sluice.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code main} of a parse worker JVM, started by {@link ProcessParser}: reads documents from stdin,
 * parses each with {@link TikaDocumentParser}, writes the blocks (or the failure) to stdout, until
 * stdin closes. Runs with {@code -XX:+ExitOnOutOfMemoryError}, so a parse that exhausts the heap ends
 * the worker rather than leaving it half broken; the service sees the exit and starts another.
 *
 * <p>Arguments: max chars, max embedded depth, max embedded count.
 */
public final class ParseWorkerMain {
  private ParseWorkerMain() {}

  public static void main(String[] args) throws IOException {
    // Anything a parser or a logger prints must not corrupt the protocol on stdout.
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    System.setOut(System.err);
    exitWithParent();
    ParseLimits limits = new ParseLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.parseInt(args[0]), Duration.ZERO,
        Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    TikaDocumentParser parser = new TikaDocumentParser(limits);
    warmUp(parser);
    DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    ParseWire.writeReady(out);
    while (true) {
      Optional<ParseRequest> request = ParseWire.readRequest(in);
      if (request.isEmpty()) {
        System.exit(0);
      }
      try {
        ParseWire.writeParsed(out, parser.parse(request.get()));
      } catch (ParseFailure failure) {
        ParseWire.writeFailure(out, failure);
      }
      out.flush();
    }
  }

  // Loading Tika's detectors and common parsers takes a second or more: do it before the first
  // document's timeout starts ticking.
  private static void warmUp(TikaDocumentParser parser) {
    String html = "<html><head><title>warm-up</title></head><body><h1>Warm</h1><p>up.</p></body></html>";
    try {
      parser.parse(new ParseRequest(html.getBytes(java.nio.charset.StandardCharsets.UTF_8), "warm-up.html", Optional.empty()));
      parser.parse(new ParseRequest("warm up".getBytes(java.nio.charset.StandardCharsets.UTF_8), "warm-up.txt", Optional.empty()));
    } catch (ParseFailure e) {
      System.err.println("parse worker warm-up failed: " + e.getMessage());
    }
  }

  // A service killed with -9 cannot close stdin of a worker stuck in a parse; the worker must notice.
  private static void exitWithParent() {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
  }
}
