package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.DeadLetters.Origin;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class PendingChunkTest {

  @Test
  void roundTripKeepsEverythingTheRecordCarried() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
    headers.add("empty", null);
    PendingChunk chunk = new PendingChunk(
        new Record<>("acme/doc ü", new byte[] {1, 2, 3}, 1_700_000_000_123L, headers), new Origin("chunks", 4, 99L));

    PendingChunk back = PendingChunk.decode(chunk.encode());

    assertThat(back.record().key()).isEqualTo("acme/doc ü");
    assertThat(back.record().value()).containsExactly(1, 2, 3);
    assertThat(back.record().timestamp()).isEqualTo(1_700_000_000_123L);
    assertThat(back.record().headers().toArray()).hasSize(2);
    assertThat(back.record().headers().lastHeader("traceparent").value()).asString(StandardCharsets.UTF_8).isEqualTo("00-abc-01");
    assertThat(back.record().headers().lastHeader("empty").value()).isNull();
    assertThat(back.origin()).isEqualTo(new Origin("chunks", 4, 99L));
  }

  @Test
  void nullKeyStaysNull() {
    PendingChunk chunk = new PendingChunk(new Record<>(null, new byte[0], 0L), new Origin("", -1, -1L));

    assertThat(PendingChunk.decode(chunk.encode()).record().key()).isNull();
  }
}
