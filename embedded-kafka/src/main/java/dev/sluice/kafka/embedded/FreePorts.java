package dev.sluice.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free ports on the loopback address. The ports are released before the broker binds them, so
 * another process could take one in between; acceptable for local use and tests.
 */
final class FreePorts {

  private FreePorts() {}

  /** {@code count} distinct ports: all sockets are held open together so none is returned twice. */
  static int[] pick(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      InetAddress host = InetAddress.getByName(BrokerProperties.HOST);
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, host));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on " + BrokerProperties.HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing an unconnected server socket has nothing to flush; the port is free either way.
        }
      }
    }
  }
}
