package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.index.IndexUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start-up behaviour that needs no server: nothing listens on port 1. */
class QdrantStoreTest {

  @Test
  @Timeout(10)
  void anUnreachableServerFailsFastWithOneLineNamingTheUrlAndTheCause() {
    URI url = URI.create("http://127.0.0.1:1");

    assertThatThrownBy(() -> QdrantStore.connect(url, Optional.empty(), QdrantOptions.DEFAULTS, "sluice", Duration.ofSeconds(5)))
        .isInstanceOf(IndexUnavailableException.class)
        .hasMessageStartingWith("Qdrant at http://127.0.0.1:1 is unreachable: UNAVAILABLE")
        .hasMessageContaining("Connection refused")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void onlyHttpAndHttpsUrlsAreAccepted() {
    for (String bad : new String[] {"grpc://localhost:6334", "localhost:6334", "ftp://qdrant"}) {
      assertThatThrownBy(() -> QdrantStore.connect(URI.create(bad), Optional.empty(), QdrantOptions.DEFAULTS, "sluice",
              Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
  }

  @Test
  void theUrlChoosesTlsAndThePortDefaultsToTheGrpcPort() {
    assertThat(QdrantEndpoint.of(URI.create("http://qdrant"), Optional.empty()))
        .isEqualTo(new QdrantEndpoint("qdrant", 6334, false, Optional.empty()));
    assertThat(QdrantEndpoint.of(URI.create("https://qdrant.example:443"), Optional.of("k")))
        .isEqualTo(new QdrantEndpoint("qdrant.example", 443, true, Optional.of("k")));
    assertThatThrownBy(() -> QdrantEndpoint.of(URI.create("http:///path"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no host");
  }

  @Test
  void anInvalidCollectionNameIsRefusedBeforeConnecting() {
    assertThatThrownBy(() -> QdrantStore.connect(URI.create("http://127.0.0.1:1"), Optional.empty(), QdrantOptions.DEFAULTS,
            "Not A Name", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aServerOlderThan116IsRefusedNamingItsVersion() {
    URI url = URI.create("http://q:6334");

    assertThatThrownBy(() -> QdrantStore.requireSupported("1.15.4", url))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("http://q:6334").hasMessageContaining("1.15.4");
    QdrantStore.requireSupported("1.16.0", url);
    QdrantStore.requireSupported("v2.0.1", url);
    QdrantStore.requireSupported("dev", url);
  }
}
