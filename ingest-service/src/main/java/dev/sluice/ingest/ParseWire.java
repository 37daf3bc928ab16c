package dev.sluice.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The byte protocol between the service and a parse worker JVM over the worker's stdin and stdout:
 * the worker announces itself once, then answers each request with one response. Both ends are this
 * class from the same classpath, so there is no versioning.
 */
final class ParseWire {
  /** Written once by a worker that is ready ("SLCE"). */
  static final int READY = 0x534C4345;
  private static final byte PARSED = 0;
  private static final byte FAILED = 1;

  private ParseWire() {}

  static void writeReady(DataOutputStream out) throws IOException {
    out.writeInt(READY);
    out.flush();
  }

  static void readReady(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != READY) {
      throw new IOException("unexpected greeting 0x" + Integer.toHexString(magic) + " from the parse worker");
    }
  }

  static void writeRequest(DataOutputStream out, ParseRequest request) throws IOException {
    out.writeInt(request.content().length);
    out.write(request.content());
    writeString(out, request.fileName());
    writeOptional(out, request.declaredType());
    out.flush();
  }

  /** The next request, or empty when the service closed the stream. */
  static Optional<ParseRequest> readRequest(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return Optional.empty();
    }
    byte[] content = in.readNBytes(length);
    if (content.length != length) {
      throw new EOFException("request truncated");
    }
    return Optional.of(new ParseRequest(content, readString(in), readOptional(in)));
  }

  static void writeParsed(DataOutputStream out, ParsedDocument document) throws IOException {
    out.writeByte(PARSED);
    writeString(out, document.contentType());
    writeOptional(out, document.title());
    out.writeBoolean(document.parserFound());
    out.writeInt(document.blocks().size());
    List<String> lastPath = List.of();
    for (TextBlock block : document.blocks()) {
      out.writeByte(block.kind().ordinal());
      out.writeInt(block.page());
      // Consecutive blocks mostly share their heading path: send it only when it changes.
      boolean samePath = block.headings().equals(lastPath);
      out.writeBoolean(samePath);
      if (!samePath) {
        out.writeInt(block.headings().size());
        for (String heading : block.headings()) {
          writeString(out, heading);
        }
        lastPath = block.headings();
      }
      writeString(out, block.text());
    }
  }

  static void writeFailure(DataOutputStream out, ParseFailure failure) throws IOException {
    out.writeByte(FAILED);
    writeString(out, failure.reason());
    writeString(out, String.valueOf(failure.getMessage()));
    writeOptional(out, failure.exceptionClass());
    writeOptional(out, failure.contentType());
  }

  /** The worker's answer: the parsed document, or the failure it reported. */
  static ParsedDocument readResponse(DataInputStream in) throws IOException, ParseFailure {
    byte status = in.readByte();
    if (status == FAILED) {
      String reason = readString(in);
      String message = readString(in);
      throw new ParseFailure(reason, message, readOptional(in).orElse(null), readOptional(in).orElse(null), null);
    }
    if (status != PARSED) {
      throw new IOException("unexpected response status " + status + " from the parse worker");
    }
    String contentType = readString(in);
    Optional<String> title = readOptional(in);
    boolean parserFound = in.readBoolean();
    int count = in.readInt();
    TextBlock.Kind[] kinds = TextBlock.Kind.values();
    List<TextBlock> blocks = new ArrayList<>(count);
    List<String> path = List.of();
    for (int i = 0; i < count; i++) {
      TextBlock.Kind kind = kinds[in.readByte()];
      int page = in.readInt();
      if (!in.readBoolean()) {
        int depth = in.readInt();
        List<String> headings = new ArrayList<>(depth);
        for (int d = 0; d < depth; d++) {
          headings.add(readString(in));
        }
        path = List.copyOf(headings);
      }
      blocks.add(new TextBlock(path, kind, readString(in), page));
    }
    return new ParsedDocument(blocks, title, contentType, parserFound);
  }

  // DataOutput.writeUTF stops at 64 KiB; block texts can be longer.
  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("string truncated");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
    out.writeBoolean(value.isPresent());
    if (value.isPresent()) {
      writeString(out, value.get());
    }
  }

  private static Optional<String> readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
  }
}
