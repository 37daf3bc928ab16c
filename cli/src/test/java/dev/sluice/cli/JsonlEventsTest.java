package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlEventsTest {
  @TempDir Path dir;

  @Test
  void aLineBecomesAnUpsertOfTitleAndText() throws Exception {
    Path file = corpus();
    DocumentEvent event = new JsonlEvents("eval", file).event("{\"_id\": \"4983\", \"title\": \"White matter\", \"text\": \"Alterations of the architecture.\"}", false);
    assertThat(event.getTenant()).isEqualTo("eval");
    assertThat(event.getDocId()).isEqualTo("4983");
    assertThat(event.getOp()).isEqualTo(Operation.UPSERT);
    assertThat(event.getVersion()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
    assertThat(event.getTitle()).isEqualTo("White matter");
    assertThat(event.getContentType()).isEqualTo("text/plain");
    assertThat(StandardCharsets.UTF_8.decode(event.getContent()).toString()).isEqualTo("White matter Alterations of the architecture.");
    assertThat(event.getSource()).isEqualTo(file.toUri() + "#4983");
  }

  @Test
  void aMissingTitleLeavesTheTextAloneAndDeletesCarryNoContent() throws Exception {
    JsonlEvents events = new JsonlEvents("eval", corpus());
    DocumentEvent untitled = events.event("{\"_id\": 7, \"title\": \"\", \"text\": \"Only text.\"}", false);
    assertThat(untitled.getDocId()).isEqualTo("7");
    assertThat(untitled.getTitle()).isNull();
    assertThat(StandardCharsets.UTF_8.decode(untitled.getContent()).toString()).isEqualTo("Only text.");
    DocumentEvent delete = events.event("{\"_id\": \"7\"}", true);
    assertThat(delete.getOp()).isEqualTo(Operation.DELETE);
    assertThat(delete.getContent()).isNull();
  }

  @Test
  void linesThatAreNotDocumentsAreRefusedWithAReason() throws Exception {
    JsonlEvents events = new JsonlEvents("eval", corpus());
    assertThatThrownBy(() -> events.event("{\"_id\": \"1\", \"text\": ", false)).isInstanceOf(JsonlEvents.BadLine.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> events.event("[1, 2]", false)).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> events.event("{\"text\": \"no id\"}", false)).hasMessageContaining("no \"_id\"");
    assertThatThrownBy(() -> events.event("{\"_id\": \"9\", \"text\": \" \"}", false)).hasMessageContaining("neither");
  }

  private Path corpus() throws Exception {
    Path file = dir.resolve("corpus.jsonl");
    Files.writeString(file, "{}\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-01T00:00:00Z")));
    return file;
  }
}
