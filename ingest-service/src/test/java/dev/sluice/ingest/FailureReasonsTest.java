package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.manifestOf;
import static dev.sluice.ingest.IngestDriver.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a document can fail reaches the dead-letter topic with its own reason, and the document
 * after it is processed normally. The documents are real files made with PDFBox, POI and ImageIO.
 */
class FailureReasonsTest {
  private static EmbeddingModel model;
  @TempDir Path temp;
  private IngestDriver ingest;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @AfterEach
  void stop() {
    if (ingest != null) {
      ingest.close();
    }
  }

  private IngestDriver driver(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of(IngestConfig.PARSE_ISOLATION, "thread"));
    settings.putAll(extra);
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"), settings);
    return ingest;
  }

  /** The reason of the one dead letter {@code event} produced; asserts the next document still flows. */
  private String reasonFor(DocumentEvent event) {
    ingest.send(event);
    List<DeadLetter> letters = ingest.dlq.readValuesToList();
    assertThat(ingest.chunks.isEmpty()).as("no chunks for " + event.getDocId()).isTrue();
    assertThat(letters).as("one dead letter for " + event.getDocId()).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getStage()).isEqualTo("ingest");
    assertThat(letter.getMessage()).isNotBlank();
    assertThat(letter.getDocVersion()).isEqualTo(event.getVersion());
    assertThat(letter.getOriginalValue()).as("replayable").isNotNull();
    ingest.send(upsert("next-" + System.nanoTime(), 1, "The document after a failure is processed as usual.").build());
    assertThat(manifestOf(ingest.drainChunks()).getChunkIds()).hasSize(1);
    return letter.getReason();
  }

  @Test
  void invalidEventsAreRejectedWithTheRule() {
    driver(Map.of(IngestConfig.INLINE_MAX_BYTES, "1024"));
    assertThat(reasonFor(upsert("big.txt", 1, "x".repeat(2000)).build())).isEqualTo("invalid-event");
    assertThat(reasonFor(upsert("doc.txt", 1, "text").setSource(" ").build())).isEqualTo("invalid-event");
    assertThat(reasonFor(upsert("doc.txt", 1, "text").setContentType("not a type").build())).isEqualTo("invalid-event");
    assertThat(reasonFor(upsert("doc.txt", 1, "text").setContentRef("file:///x").build())).isEqualTo("invalid-event");
    assertThat(reasonFor(upsert("doc.txt", -1, "text").build())).isEqualTo("invalid-event");
    assertThat(reasonFor(upsert("x".repeat(257), 1, "text").build())).isEqualTo("invalid-event");
    DeadLetter letter = lastLetterFor(upsert("big2.txt", 1, "x".repeat(2000)).build());
    assertThat(letter.getMessage()).contains("inline limit").contains("by reference");
  }

  private DeadLetter lastLetterFor(DocumentEvent event) {
    ingest.send(event);
    return ingest.dlq.readValue();
  }

  @Test
  void encryptedPdf() throws IOException {
    driver(Map.of());
    assertThat(reasonFor(upsert("locked.pdf", 1, pdf("Quarterly numbers nobody may read.", true)).build())).isEqualTo("encrypted");
  }

  @Test
  void emptyDocuments() throws IOException {
    driver(Map.of());
    assertThat(reasonFor(upsert("zero.txt", 1, new byte[0]).build())).isEqualTo("empty");
    assertThat(reasonFor(upsert("blank.txt", 1, " \n\n\t \n").build())).isEqualTo("empty");
    assertThat(reasonFor(upsert("blank.pdf", 1, pdf("", false)).build())).isEqualTo("empty");
  }

  @Test
  void unsupportedTypes() throws IOException {
    driver(Map.of());
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    assertThat(reasonFor(upsert("scan.png", 1, png.toByteArray()).build())).isEqualTo("unsupported-type");
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    assertThat(reasonFor(upsert("blob", 1, noise).build())).isEqualTo("unsupported-type");
  }

  @Test
  void corruptDocuments() throws IOException {
    driver(Map.of());
    byte[] docx = docx("A perfectly ordinary paragraph in a Word document.");
    byte[] truncated = Arrays.copyOf(docx, docx.length / 2);
    assertThat(reasonFor(upsert("truncated.docx", 1, truncated).build())).isEqualTo("corrupt");
    byte[] pdf = pdf("Some text on a page.", false);
    byte[] mangled = Arrays.copyOf(pdf, pdf.length);
    Arrays.fill(mangled, 15, mangled.length, (byte) 'x');
    assertThat(reasonFor(upsert("mangled.pdf", 1, mangled).setContentType("application/pdf").build())).isEqualTo("corrupt");
  }

  @Test
  void tooLargeDocuments() throws IOException {
    driver(Map.of(IngestConfig.MAX_CHARS, "2000", IngestConfig.MAX_BYTES, "200000"));
    assertThat(reasonFor(upsert("long.txt", 1, "Many words in a row. ".repeat(200)).build())).isEqualTo("too-large");
    assertThat(reasonFor(upsert("heavy.txt", 1, new byte[300_000]).build())).isEqualTo("too-large");
  }

  @Test
  void zipBombIsTooLarge() throws IOException {
    driver(Map.of(IngestConfig.MAX_CHARS, "50000000"));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("notes.txt"));
      byte[] line = "all work and no play makes jack a dull boy\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 40 * 1024 * 1024 / line.length; i++) {
        out.write(line);
      }
      out.closeEntry();
    }
    assertThat(zip.size()).isLessThan(200_000);
    DeadLetter letter = lastLetterFor(upsert("bomb.zip", 1, zip.toByteArray()).build());
    assertThat(letter.getReason()).isEqualTo("too-large");
    assertThat(letter.getMessage()).contains("zip bomb");
  }

  @Test
  void parseOverrunningTheTimeoutIsStoppedInThreadIsolation() {
    driver(Map.of(IngestConfig.PARSE_TIMEOUT, "100", IngestConfig.MAX_CHARS, "100000000", IngestConfig.INLINE_MAX_BYTES, "67108864"));
    assertThat(reasonFor(upsert("huge.html", 1, ParseIsolationIT.hugeHtml()).build())).isEqualTo("parse-timeout");
  }

  @Test
  void malformedRecordsAreDeadLetteredAndSkipped() {
    driver(Map.of());
    ingest.rawDocuments.pipeInput("acme/broken", new byte[] {0, 1, 2, 3});
    assertThat(ingest.dlq.readValue().getReason()).isEqualTo("malformed-record");
    ingest.send(upsert("fine.txt", 1, "A perfectly fine document.").build());
    assertThat(manifestOf(ingest.drainChunks()).getChunkIds()).hasSize(1);
  }

  static byte[] pdf(String text, boolean encrypted) throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage();
      document.addPage(page);
      if (!text.isEmpty()) {
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(text);
          content.endText();
        }
      }
      if (encrypted) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }

  static byte[] docx(String text) throws IOException {
    try (XWPFDocument document = new XWPFDocument()) {
      document.createParagraph().createRun().setText(text);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.write(out);
      return out.toByteArray();
    }
  }
}
