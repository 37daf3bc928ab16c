package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind is found by its shape and check digits, and nothing that only looks like one is touched. */
class PiiRedactorTest {
  private final PiiRedactor all = new PiiRedactor(EnumSet.allOf(PiiKind.class));

  private String redact(String text) {
    return all.redact(text).text();
  }

  @Test
  void emailAddressesBecomeAPlaceholder() {
    assertThat(redact("Write to jane.doe+news@example.co.uk today.")).isEqualTo("Write to [EMAIL] today.");
    assertThat(redact("(ops@sluice.dev)")).isEqualTo("([EMAIL])");
    assertThat(redact("mailto:first_last@mail-server.example.org?subject=hi")).isEqualTo("mailto:[EMAIL]?subject=hi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"user@localhost", "follow @sluice on social", "a@b", "git@1.2.3", "price: 5 @ 3.50 each",
      "jane@example.c0m"})
  void thingsThatAreNotEmailAddressesStay(String text) {
    assertThat(redact(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+49 30 1234567", "+1 (555) 123-4567", "+44 20 7946 0958", "+33 1 23 45 67 89", "+4930123456",
      "(555) 123-4567", "555-123-4567", "555.123.4567", "1-555-123-4567", "030 1234567", "0171/1234567", "(030) 1234567",
      "01 23 45 67 89", "020 7946 0958"})
  void phoneNumbersBecomeAPlaceholder(String phone) {
    assertThat(redact("Call " + phone + ", please.")).isEqualTo("Call [PHONE], please.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-01-15", "15.01.2024", "05-06-2024 10:30", "01/02/2024", "192.168.1.10", "10.0.0.1",
      "ISBN 978-3-16-148410-0", "ISBN 0 306 40615 2", "1 234 567 inhabitants", "version 10.2.3", "1,234,567.89",
      "order 12345678", "0.5 mg", "+1 2 3 4 5 6 7 8", "room 0 12", "12:30-14:45", "score 3-1"})
  void datesTimesAddressesAndPlainNumbersAreNotPhones(String text) {
    assertThat(redact(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5555 5555 5555 4444",
      "3782 822463 10005", "378282246310005", "6011 1111 1111 1117"})
  void cardNumbersPassingLuhnBecomeAPlaceholder(String card) {
    assertThat(redact("Card: " + card + ".")).isEqualTo("Card: [CARD].");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4111 1111 1111 1112", // Luhn fails
      "4111111111111112", // Luhn fails
      "1111 1111 1111 1117", // 1 is no card network
      "9780306406157", // an EAN-13 (a book), Luhn or not
      "2017 2018 2019 2020", // years in a table row, although Luhn passes
      "4111-1111 1111-1111", // two kinds of separator
      "41 11 11 11 11 11 11 11", // not a card layout
      "41111111111111111111"}) // 20 digits
  void numbersThatAreNotCardsStay(String text) {
    assertThat(PiiRedactor.luhn("2017201820192020")).as("the year row passes Luhn: the layout rule is what rejects it").isTrue();
    assertThat(redact("Ref " + text)).isEqualTo("Ref " + text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
      "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606"})
  void ibansPassingMod97BecomeAPlaceholder(String iban) {
    assertThat(redact("IBAN " + iban + " (main account)")).isEqualTo("IBAN [IBAN] (main account)");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DE89 3704 0044 0532 0130 01", // mod-97 fails
      "DE89 3704 0044 0532 0130", // too short for DE
      "DE89370400440532013000X", // runs on
      "XX89370400440532013000", // no such country
      "de89370400440532013000", // lower case
      "DE89 3704 0044 0532 013 000"}) // not grouped by four
  void stringsThatAreNotIbansStay(String text) {
    assertThat(new PiiRedactor(Set.of(PiiKind.IBAN)).redact("IBAN " + text).text()).isEqualTo("IBAN " + text);
  }

  @Test
  void checkDigitAlgorithms() {
    assertThat(PiiRedactor.luhn("79927398713")).isTrue();
    assertThat(PiiRedactor.luhn("79927398710")).isFalse();
    assertThat(PiiRedactor.mod97("GB82WEST12345698765432")).isEqualTo(1);
    assertThat(PiiRedactor.mod97("GB82WEST12345698765431")).isNotEqualTo(1);
  }

  @Test
  void overlappingCandidatesResolveToTheOneThatStartsFirstThenTheLongest() {
    // The local part is a valid card number; the address is the value.
    assertThat(redact("from 4111111111111111@example.com")).isEqualTo("from [EMAIL]");
    // The digits of a grouped IBAN are also a run of digit groups; the IBAN starts first and is one value.
    assertThat(all.find("GB82 WEST 1234 5698 7654 32")).containsExactly(new PiiRedactor.Match(PiiKind.IBAN, 0, 27));
    assertThat(all.find("DE89 3704 0044 0532 0130 00")).containsExactly(new PiiRedactor.Match(PiiKind.IBAN, 0, 27));
    // A phone number inside an e-mail address's local part is part of the address.
    assertThat(redact("x 555-123-4567@example.com")).isEqualTo("x [EMAIL]");
  }

  @Test
  void adjacentValuesAreEachReplaced() {
    assertThat(redact("a@example.com,b@example.org;+49 30 1234567/4111 1111 1111 1111"))
        .isEqualTo("[EMAIL],[EMAIL];[PHONE]/[CARD]");
    assertThat(redact("4111 1111 1111 1111 5555 5555 5555 4444")).as("two cards in one run of digits").isEqualTo("[CARD] [CARD]");
    assertThat(redact("Order 12 4111 1111 1111 1111")).as("a card after another number").isEqualTo("Order 12 [CARD]");
  }

  @Test
  void unicodeTextAroundValuesIsKept() {
    assertThat(redact("📞 +49 30 1234567 📧 jürgen.müller@bücher.de ✓")).isEqualTo("📞 [PHONE] 📧 [EMAIL] ✓");
    assertThat(redact("電話+81 3-1234-5678まで")).as("CJK text has no spaces around numbers").isEqualTo("電話[PHONE]まで");
    assertThat(redact("連絡先: 张三@例子.公司")).isEqualTo("連絡先: [EMAIL]");
    assertThat(redact("Ünïcödé 𝒳 text without values")).isEqualTo("Ünïcödé 𝒳 text without values");
  }

  @Test
  void onlyTheConfiguredKindsAreRedactedAndCounted() {
    PiiRedactor emailOnly = new PiiRedactor(Set.of(PiiKind.EMAIL));
    PiiRedactor.Redacted redacted = emailOnly.redact("jane@example.com, +49 30 1234567, 4111 1111 1111 1111, DE89370400440532013000");
    assertThat(redacted.text()).isEqualTo("[EMAIL], +49 30 1234567, 4111 1111 1111 1111, DE89370400440532013000");
    assertThat(redacted.counts()).isEqualTo(Map.of(PiiKind.EMAIL, 1));
    assertThat(all.redact("a@example.com b@example.com 555-123-4567").counts())
        .isEqualTo(Map.of(PiiKind.EMAIL, 2, PiiKind.PHONE, 1));
    assertThat(all.redact("nothing here").counts()).isEmpty();
  }

  @Test
  void blocksAreRedactedInTextAndHeadingsAndCountedOnce() {
    List<String> path = List.of("Contact jane@example.com");
    List<TextBlock> blocks = List.of(
        new TextBlock(path, TextBlock.Kind.HEADING, "Contact jane@example.com", 1),
        new TextBlock(path, TextBlock.Kind.PARAGRAPH, "Or call 555-123-4567.", 1));
    PiiRedactor.RedactedBlocks redacted = all.redact(blocks);
    assertThat(redacted.blocks()).extracting(TextBlock::text).containsExactly("Contact [EMAIL]", "Or call [PHONE].");
    assertThat(redacted.blocks()).allSatisfy(b -> assertThat(b.headings()).containsExactly("Contact [EMAIL]"));
    assertThat(redacted.counts()).isEqualTo(Map.of(PiiKind.EMAIL, 1, PiiKind.PHONE, 1));
  }
}
