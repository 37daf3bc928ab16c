package dev.sluice.query;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 client on a bare socket that sends exactly the bytes it is given: what {@code
 * java.net.http} refuses to send (a wrong Content-Length, a CR LF inside a header, a duplicate or
 * 100 KiB header, a body cut short, a malformed chunk) is what a hostile client sends. It reads one
 * response by its framing (Content-Length, chunked, or up to the close).
 */
final class RawHttp {
  private static final int TIMEOUT_MILLIS = 15_000;

  private RawHttp() {}

  /**
   * What came back: a response, the server closing without one, or nothing within the timeout.
   *
   * @param status the status code, or -1 when there was no response
   */
  record Reply(int status, List<String[]> headers, String body, boolean closedWithoutResponse, boolean timedOut) {
    Optional<String> header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    boolean answered() {
      return status > 0;
    }
  }

  /**
   * Sends {@code request} to 127.0.0.1:{@code port}; with {@code halfClose} the socket's output is
   * shut right after, as a client that stops sending mid-body does.
   */
  static Reply send(int port, byte[] request, boolean halfClose) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        if (halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may answer (e.g. 413, 431) and close before it has read everything: read that answer.
      }
      return read(socket.getInputStream(), head(request));
    } catch (SocketTimeoutException e) {
      return new Reply(-1, List.of(), "", false, true);
    } catch (IOException e) {
      return new Reply(-1, List.of(), "", true, false);
    }
  }

  private static boolean head(byte[] request) {
    return request.length >= 5 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
  }

  private static Reply read(InputStream in, boolean headRequest) throws IOException {
    String statusLine;
    try {
      statusLine = line(in);
    } catch (EOFException e) {
      return new Reply(-1, List.of(), "", true, false);
    }
    // A 100 Continue is followed by the real response.
    List<String[]> headers = new ArrayList<>();
    while (true) {
      String line = line(in);
      if (line.isEmpty()) {
        if (statusLine.matches("HTTP/1\\.[01] 1\\d\\d.*")) {
          statusLine = line(in);
          headers.clear();
          continue;
        }
        break;
      }
      int colon = line.indexOf(':');
      headers.add(new String[] {line.substring(0, Math.max(colon, 0)).strip(), colon < 0 ? "" : line.substring(colon + 1).strip()});
    }
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
    byte[] body;
    String transfer = value(headers, "Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT);
    Optional<String> length = value(headers, "Content-Length");
    if (headRequest || status == 204 || status == 304) {
      body = new byte[0];
    } else if (transfer.contains("chunked")) {
      body = chunked(in);
    } else if (length.isPresent()) {
      body = in.readNBytes(Integer.parseInt(length.get()));
    } else {
      body = in.readAllBytes();
    }
    return new Reply(status, headers, new String(body, StandardCharsets.UTF_8), false, false);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      if (n == 0) {
        while (!line(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line(in);
    }
  }

  private static Optional<String> value(List<String[]> headers, String name) {
    return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  /** Builds a request: the request line, each header line as given, a blank line, the body. */
  static byte[] request(String requestLine, List<String> headerLines, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((requestLine + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String header : headerLines) {
      out.writeBytes((header + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
