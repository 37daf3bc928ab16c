package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The catalogue and its documentation cannot drift apart, and its codes are well-formed and unique. */
class ReasonCodeTest {
  // Maven runs tests with the module as working directory.
  private static final Path DOC = Path.of("../docs/reason-codes.md");
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| `([A-Z0-9_]+)` \\| ([a-z, ]+) \\| ([a-z ]+) \\|");

  @ParameterizedTest
  @EnumSource(ReasonCode.class)
  void everyConstantHasItsRowInTheDocumentation(ReasonCode reason) throws IOException {
    List<Row> rows = rows().stream().filter(r -> r.code().equals(reason.code())).toList();
    assertThat(rows).as("a row for `%s` in %s", reason.code(), DOC).hasSize(1);
    Row row = rows.getFirst();
    assertThat(row.constant()).isEqualTo(reason.name());
    assertThat(row.stages()).isEqualTo(reason.stages().stream().map(ReasonCode.Stage::wireName).collect(Collectors.toSet()));
    assertThat(row.cause()).isEqualTo(reason.cause().name().toLowerCase().replace('_', ' '));
  }

  @Test
  void theDocumentationListsNoCodeTheCatalogueLacks() throws IOException {
    assertThat(rows()).allSatisfy(row -> assertThat(ReasonCode.fromCode(row.code()))
        .as("`%s` in %s", row.code(), DOC).isPresent());
  }

  @ParameterizedTest
  @EnumSource(ReasonCode.class)
  void fromCodeFindsEveryConstant(ReasonCode reason) {
    assertThat(ReasonCode.fromCode(reason.code())).contains(reason);
    assertThat(reason.code()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    assertThat(reason.description()).isNotBlank();
  }

  @Test
  void fromCodeIsEmptyForUnknownCodes() {
    assertThat(ReasonCode.fromCode("no-such-reason")).isEmpty();
    assertThat(ReasonCode.fromCode(null)).isEmpty();
    assertThat(ReasonCode.fromCode("MALFORMED_RECORD")).as("the wire code, not the constant's name").isEmpty();
  }

  @Test
  void codesAreUnique() {
    assertThat(Arrays.stream(ReasonCode.values()).map(ReasonCode::code)).doesNotHaveDuplicates();
  }

  @Test
  void badInputIsTheBadInputCause() {
    assertThat(ReasonCode.MALFORMED_RECORD.badInput()).isTrue();
    assertThat(ReasonCode.RETRIES_EXHAUSTED.badInput()).isFalse();
    assertThat(ReasonCode.INTERNAL_ERROR.cause()).isEqualTo(ReasonCode.Cause.ENGINE);
  }

  private static List<Row> rows() throws IOException {
    assertThat(DOC).as("docs/reason-codes.md, read from the schemas module").exists();
    Matcher m = ROW.matcher(Files.readString(DOC));
    List<Row> rows = new java.util.ArrayList<>();
    while (m.find()) {
      Set<String> stages = Arrays.stream(m.group(3).split(",")).map(String::strip).collect(Collectors.toSet());
      rows.add(new Row(m.group(1), m.group(2), stages, m.group(4).strip()));
    }
    return rows;
  }

  private record Row(String code, String constant, Set<String> stages, String cause) {}
}
