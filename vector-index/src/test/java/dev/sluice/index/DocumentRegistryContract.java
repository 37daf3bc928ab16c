package dev.sluice.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentStatus.Failure;
import dev.sluice.index.DocumentStatus.State;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DocumentRegistry} adapter must do. An adapter's test supplies {@link #open()};
 * a store whose writes are not immediately readable (a remote one) also overrides {@link
 * #refresh}. Each test starts from an empty registry.
 */
public abstract class DocumentRegistryContract {

  // Millisecond precision: the finest every adapter keeps.
  protected static final Instant T0 = TestPoints.T0;

  private DocumentRegistry registry;

  /**
   * Opens the registry under test, writable. Within one test it is called again after the
   * previous instance was closed, and must then open the same (durable) storage; each test must
   * start from an empty one.
   */
  protected abstract DocumentRegistry open();

  /**
   * Makes every write so far readable through {@code registry}, for a store that does not read
   * its own writes at once. A no-op by default.
   */
  protected void refresh(DocumentRegistry registry) {}

  /** The registry opened for the current test. */
  protected final DocumentRegistry registry() {
    return registry;
  }

  @BeforeEach
  final void openRegistry() {
    registry = open();
  }

  @AfterEach
  final void closeRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  protected static DocumentStatus status(String tenant, String docId, State state, long version) {
    return new DocumentStatus(tenant, docId, state, version, 3, T0, T0.plusSeconds(version), Optional.empty());
  }

  private void put(DocumentStatus status) {
    registry.put(status);
  }

  private Optional<DocumentStatus> get(String tenant, String docId) {
    refresh(registry);
    return registry.get(tenant, docId);
  }

  private Map<State, Long> countByState() {
    refresh(registry);
    return registry.countByState();
  }

  @Test
  void getReturnsWhatWasPut() {
    DocumentStatus failed =
        new DocumentStatus("acme", "doc/with/slashes", State.FAILED, 7, 0, T0, T0.plusSeconds(1),
            Optional.of(new Failure("parse", "ENCRYPTED", "the PDF is password protected")));
    put(failed);

    assertThat(get("acme", "doc/with/slashes")).contains(failed);
    assertThat(get("acme", "unknown")).isEmpty();
    assertThat(get("other", "doc/with/slashes")).isEmpty();
  }

  @Test
  void anUnknownDocumentIsEmptyEvenInAnEmptyRegistry() {
    assertThat(get("acme", "nothing")).isEmpty();
    assertThat(countByState().values()).containsOnly(0L);
  }

  @Test
  void putReplacesTheStatusOfADocument() {
    put(status("acme", "d1", State.PENDING, 1));
    put(status("acme", "d1", State.INDEXED, 2));
    put(status("acme", "d1", State.INDEXED, 2));

    assertThat(get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 2));
    assertThat(countByState().get(State.INDEXED)).isEqualTo(1);
    assertThat(countByState().get(State.PENDING)).isZero();
  }

  @Test
  void aReplacementDropsAFailureThatNoLongerHolds() {
    DocumentStatus failed =
        new DocumentStatus("acme", "d1", State.FAILED, 1, 0, T0, T0,
            Optional.of(new Failure("embed", "TIMEOUT", "model server did not answer")));
    put(failed);
    put(status("acme", "d1", State.INDEXED, 2));

    assertThat(get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 2));
  }

  @Test
  void tenantsAreIsolated() {
    put(status("acme", "shared-id", State.INDEXED, 3));
    put(status("beta", "shared-id", State.DELETED, 9));

    assertThat(get("acme", "shared-id")).contains(status("acme", "shared-id", State.INDEXED, 3));
    assertThat(get("beta", "shared-id")).contains(status("beta", "shared-id", State.DELETED, 9));
    assertThat(get("gamma", "shared-id")).isEmpty();
  }

  @Test
  void countsDocumentsPerStateAcrossTenants() {
    assertThat(countByState()).containsOnlyKeys(State.values()).doesNotContainValue(1L);
    put(status("acme", "d1", State.INDEXED, 1));
    put(status("beta", "d1", State.INDEXED, 1));
    put(status("acme", "d2", State.DELETED, 1));
    put(status("acme", "d3", State.PENDING, 1));

    assertThat(countByState())
        .isEqualTo(Map.of(State.PENDING, 1L, State.INDEXED, 2L, State.DELETED, 1L, State.FAILED, 0L));
    assertThat(registry.countByState("acme"))
        .isEqualTo(Map.of(State.PENDING, 1L, State.INDEXED, 1L, State.DELETED, 1L, State.FAILED, 0L));
    assertThat(registry.countByState("beta"))
        .isEqualTo(Map.of(State.PENDING, 0L, State.INDEXED, 1L, State.DELETED, 0L, State.FAILED, 0L));
    assertThat(registry.countByState("nobody").values()).containsOnly(0L);
  }

  @Test
  void theFailureStageReasonAndMessageRoundTrip() {
    DocumentStatus status =
        new DocumentStatus("acme", "d1", State.FAILED, 1, 0, T0, T0,
            Optional.of(new Failure("index", "POINT_REJECTED", "dimension 7, expected 8 — «ünïcode» \"quoted\"\nline two")));
    put(status);

    assertThat(get("acme", "d1")).contains(status);
    assertThat(get("acme", "d1").flatMap(DocumentStatus::failure).map(Failure::reason)).contains("POINT_REJECTED");
    assertThat(countByState().get(State.FAILED)).isEqualTo(1);
  }

  @Test
  void timestampsRoundTripAtMillisecondPrecision() {
    Instant eventTime = Instant.parse("1999-12-31T23:59:59.001Z");
    Instant updatedAt = Instant.parse("2031-01-02T03:04:05.999Z");
    DocumentStatus status = new DocumentStatus("acme", "d1", State.INDEXED, 42, 1234, eventTime, updatedAt, Optional.empty());
    put(status);

    assertThat(get("acme", "d1")).contains(status);

    // Finer than a millisecond is not promised, but the millisecond is.
    Instant fine = Instant.parse("2025-06-07T08:09:10.123456789Z");
    put(new DocumentStatus("acme", "d2", State.PENDING, 1, 0, fine, fine, Optional.empty()));
    DocumentStatus read = get("acme", "d2").orElseThrow();
    assertThat(read.eventTime().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(fine.truncatedTo(ChronoUnit.MILLIS));
    assertThat(read.updatedAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(fine.truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void largeVersionsAndChunkCountsRoundTrip() {
    DocumentStatus status =
        new DocumentStatus("acme", "big", State.INDEXED, Long.MAX_VALUE - 1, Integer.MAX_VALUE, T0, T0, Optional.empty());
    put(status);

    assertThat(get("acme", "big")).contains(status);
  }

  @Test
  void committedStatusesSurviveAReopen() {
    put(status("acme", "d1", State.INDEXED, 5));
    registry.commit();
    registry.close();
    registry = null;

    registry = open();

    assertThat(get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 5));
    assertThat(countByState().get(State.INDEXED)).isEqualTo(1);
  }
}
