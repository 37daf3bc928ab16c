package dev.sluice.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in document text with typed placeholders ({@code [EMAIL]}, {@code [PHONE]},
 * {@code [CARD]}, {@code [IBAN]}). It runs on the cleaned text before chunking and hashing, so chunk
 * ids, embeddings and stored text never hold the values. Precision over recall: a number is redacted
 * only when its shape and, where one exists, its check digit say what it is.
 *
 * <ul>
 *   <li>e-mail: {@code local@domain.tld}, Unicode letters allowed, TLD of letters;
 *   <li>card: 13-19 digits, the first 2-6 (the card networks' industry digits), ungrouped or grouped
 *       as cards are printed (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) by one kind of separator (space or
 *       hyphen), passing the Luhn check; a 4-4-4-4 group of what all read as years (1900-2099) is a
 *       table row, not a card;
 *   <li>IBAN: a country with an IBAN format, its exact length, upper case, ungrouped or in groups of
 *       four, passing the ISO 7064 mod-97 check;
 *   <li>phone: international ({@code +} country code, 8-15 digits), North American ({@code (555)
 *       123-4567}, {@code 555-123-4567}), or national with a trunk 0 ({@code 030 1234567}, {@code 01
 *       23 45 67 89}; 9-12 digits, one kind of separator). Dates, times, IP addresses, ISBNs and
 *       thousands-grouped numbers do not have these shapes.
 * </ul>
 *
 * Where two matches overlap (an e-mail address whose local part is a card number), the one that starts
 * first wins, then the longer. Thread-safe.
 */
final class PiiRedactor {
  private static final Pattern EMAIL = Pattern.compile(
      "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}_%+-][\\p{L}\\p{N}._%+-]{0,63}"
          + "@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,63}(?![\\p{L}\\p{N}-])");
  // Digits joined by single spaces or hyphens; possessive, so a run is always taken whole.
  private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9A-Za-z])\\d(?:[ \\-]?\\d)*+(?![0-9A-Za-z])");
  private static final Pattern IBAN_START = Pattern.compile("(?<![0-9A-Za-z])([A-Z]{2})(\\d{2})");
  // Letters of other scripts may sit next to a number (CJK text has no spaces): only ASCII letters and
  // digits, and joiners that continue a number, count as "inside a word".
  private static final Pattern PHONE_INTERNATIONAL = Pattern.compile(
      "(?<![0-9A-Za-z+])\\+\\d{1,3}(?:[ .\\-]?\\(\\d{1,4}\\))?(?:[ .\\-]?\\d{1,5}){1,6}(?![0-9A-Za-z])");
  private static final Pattern PHONE_NORTH_AMERICAN = Pattern.compile(
      "(?<![0-9A-Za-z+\\-.])(?:1[ .\\-])?(?:\\(\\d{3}\\) ?|\\d{3}[ .\\-])\\d{3}[ .\\-]\\d{4}(?![0-9A-Za-z]|[.\\-]\\d)");
  private static final Pattern PHONE_TRUNK = Pattern.compile(
      "(?<![0-9A-Za-z+\\-./])(?:\\(0\\d{1,4}\\)|0\\d{1,4})(?:[ \\-/]\\d{2,8}){1,4}(?![0-9A-Za-z]|[\\-/.]\\d)");
  private static final List<List<Integer>> CARD_LAYOUTS = List.of(
      List.of(4, 4, 4, 4, 3), List.of(4, 4, 4, 4), List.of(4, 6, 5), List.of(4, 6, 4));
  // ISO 13616 registry: countries with an IBAN and the IBAN's length.
  private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths(
      "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 "
          + "ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 "
          + "LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 "
          + "PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 "
          + "VG24 XK20 YE30");

  /** One value found: {@code text.substring(start, end)} is of {@code kind}. */
  record Match(PiiKind kind, int start, int end) {
    int length() {
      return end - start;
    }
  }

  /**
   * A text with its values replaced.
   *
   * @param counts values replaced, by kind; kinds without any are absent
   */
  record Redacted(String text, Map<PiiKind, Integer> counts) {
    Redacted {
      counts = Map.copyOf(counts);
    }
  }

  /**
   * A document's blocks with their values replaced, in text and heading paths.
   *
   * @param counts values replaced in the blocks' text, by kind (a heading is counted once, as the
   *     heading block it also is, not again in every path that holds it)
   */
  record RedactedBlocks(List<TextBlock> blocks, Map<PiiKind, Integer> counts) {
    RedactedBlocks {
      blocks = List.copyOf(blocks);
      counts = Map.copyOf(counts);
    }
  }

  private final Set<PiiKind> kinds;

  /** @param kinds what to redact */
  PiiRedactor(Set<PiiKind> kinds) {
    this.kinds = Set.copyOf(kinds);
  }

  /** The values in {@code text}, in order, none overlapping. */
  List<Match> find(String text) {
    List<Match> candidates = new ArrayList<>();
    boolean digits = text.chars().anyMatch(c -> c >= '0' && c <= '9');
    if (kinds.contains(PiiKind.IBAN) && digits) {
      findIbans(text, candidates);
    }
    if (kinds.contains(PiiKind.CARD) && digits) {
      findCards(text, candidates);
    }
    if (kinds.contains(PiiKind.EMAIL) && text.indexOf('@') >= 0) {
      Matcher m = EMAIL.matcher(text);
      while (m.find()) {
        candidates.add(new Match(PiiKind.EMAIL, m.start(), m.end()));
      }
    }
    if (kinds.contains(PiiKind.PHONE) && digits) {
      findPhones(text, candidates);
    }
    candidates.sort(Comparator.comparingInt(Match::start).thenComparing(Comparator.comparingInt(Match::length).reversed())
        .thenComparing(Match::kind, Comparator.comparingInt(PiiRedactor::priority)));
    List<Match> chosen = new ArrayList<>();
    int end = 0;
    for (Match candidate : candidates) {
      if (candidate.start() >= end) {
        chosen.add(candidate);
        end = candidate.end();
      }
    }
    return chosen;
  }

  /** {@code text} with every value replaced by its kind's placeholder. */
  Redacted redact(String text) {
    List<Match> matches = find(text);
    if (matches.isEmpty()) {
      return new Redacted(text, Map.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    Map<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
    int at = 0;
    for (Match match : matches) {
      out.append(text, at, match.start()).append(match.kind().placeholder());
      counts.merge(match.kind(), 1, Integer::sum);
      at = match.end();
    }
    return new Redacted(out.append(text, at, text.length()).toString(), counts);
  }

  /** Every block's text and heading path redacted. */
  RedactedBlocks redact(List<TextBlock> blocks) {
    Map<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
    Map<List<String>, List<String>> paths = new HashMap<>();
    List<TextBlock> out = new ArrayList<>(blocks.size());
    for (TextBlock block : blocks) {
      Redacted text = redact(block.text());
      text.counts().forEach((kind, n) -> counts.merge(kind, n, Integer::sum));
      List<String> headings = paths.computeIfAbsent(block.headings(), h -> h.stream().map(s -> redact(s).text()).toList());
      out.add(new TextBlock(headings, block.kind(), text.text(), block.page()));
    }
    return new RedactedBlocks(out, counts);
  }

  private static void findIbans(String text, List<Match> into) {
    Matcher m = IBAN_START.matcher(text);
    while (m.find()) {
      Integer length = IBAN_LENGTHS.get(m.group(1));
      if (length == null) {
        continue;
      }
      StringBuilder iban = new StringBuilder(m.group(1)).append(m.group(2));
      int at = m.end();
      boolean grouped = at < text.length() && text.charAt(at) == ' ';
      while (iban.length() < length && at < text.length()) {
        if (grouped && iban.length() % 4 == 0) {
          if (text.charAt(at) != ' ') {
            break;
          }
          at++;
        }
        if (at >= text.length() || !isIbanChar(text.charAt(at))) {
          break;
        }
        iban.append(text.charAt(at++));
      }
      boolean ends = at >= text.length() || !isAsciiLetterOrDigit(text.charAt(at));
      if (iban.length() == length && ends && mod97(iban) == 1) {
        into.add(new Match(PiiKind.IBAN, m.start(), at));
      }
    }
  }

  private static void findCards(String text, List<Match> into) {
    Matcher m = DIGIT_RUN.matcher(text);
    while (m.find()) {
      String run = m.group();
      List<int[]> groups = groups(run, m.start());
      if (groups.size() == 1) {
        if (isCard(run, List.of(run.length()))) {
          into.add(new Match(PiiKind.CARD, m.start(), m.end()));
        }
        continue;
      }
      if (!oneSeparator(run)) {
        continue;
      }
      // Several cards (or a card among other numbers) in one run: take layouts group by group.
      int i = 0;
      while (i < groups.size()) {
        int taken = 0;
        for (List<Integer> layout : CARD_LAYOUTS) {
          if (fits(groups, i, layout) && isCard(digitsOf(text, groups, i, layout.size()), layout)) {
            into.add(new Match(PiiKind.CARD, groups.get(i)[0], groups.get(i + layout.size() - 1)[1]));
            taken = layout.size();
            break;
          }
        }
        i += Math.max(taken, 1);
      }
    }
  }

  private static void findPhones(String text, List<Match> into) {
    Matcher m = PHONE_INTERNATIONAL.matcher(text);
    while (m.find()) {
      String found = m.group();
      int digits = digitCount(found);
      // "+33 1 23 45 67 89" has one one-digit group; a list of small numbers has many.
      if (digits >= 8 && digits <= 15 && singleDigitGroups(found) <= 1) {
        into.add(new Match(PiiKind.PHONE, m.start(), m.end()));
      }
    }
    m = PHONE_NORTH_AMERICAN.matcher(text);
    while (m.find()) {
      into.add(new Match(PiiKind.PHONE, m.start(), m.end()));
    }
    m = PHONE_TRUNK.matcher(text);
    while (m.find()) {
      String found = m.group();
      int digits = digitCount(found);
      // One kind of separator: "05-06-2024 10" (a date, then an hour) mixes them; phone numbers do not.
      if (digits >= 9 && digits <= 12 && oneSeparator(found.replaceAll("[()]", ""))) {
        into.add(new Match(PiiKind.PHONE, m.start(), m.end()));
      }
    }
  }

  /** [start, end) of each group of digits in a run found at {@code offset}. */
  private static List<int[]> groups(String run, int offset) {
    List<int[]> groups = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= run.length(); i++) {
      if (i == run.length() || !Character.isDigit(run.charAt(i))) {
        groups.add(new int[] {offset + start, offset + i});
        start = i + 1;
      }
    }
    return groups;
  }

  private static boolean fits(List<int[]> groups, int from, List<Integer> layout) {
    if (from + layout.size() > groups.size()) {
      return false;
    }
    for (int k = 0; k < layout.size(); k++) {
      int[] g = groups.get(from + k);
      if (g[1] - g[0] != layout.get(k)) {
        return false;
      }
    }
    return true;
  }

  private static String digitsOf(String text, List<int[]> groups, int from, int count) {
    StringBuilder digits = new StringBuilder();
    for (int k = from; k < from + count; k++) {
      digits.append(text, groups.get(k)[0], groups.get(k)[1]);
    }
    return digits.toString();
  }

  private static boolean isCard(String digits, List<Integer> layout) {
    if (digits.length() < 13 || digits.length() > 19 || digits.charAt(0) < '2' || digits.charAt(0) > '6') {
      return false;
    }
    if (layout.size() >= 4 && layout.get(0) == 4 && layout.get(1) == 4 && allYears(digits)) {
      return false;
    }
    return luhn(digits);
  }

  private static boolean allYears(String digits) {
    for (int i = 0; i + 4 <= 16 && i + 4 <= digits.length(); i += 4) {
      int year = Integer.parseInt(digits.substring(i, i + 4));
      if (year < 1900 || year > 2099) {
        return false;
      }
    }
    return true;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** ISO 7064 MOD 97-10 of an IBAN: the first four characters moved to the end, letters as 10-35. */
  static int mod97(CharSequence iban) {
    int remainder = 0;
    for (int i = 0; i < iban.length(); i++) {
      char c = iban.charAt((i + 4) % iban.length());
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
    }
    return remainder;
  }

  private static boolean oneSeparator(String s) {
    int separator = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isDigit(c) && c != '+') {
        if (separator >= 0 && separator != c) {
          return false;
        }
        separator = c;
      }
    }
    return true;
  }

  private static int digitCount(String s) {
    return (int) s.chars().filter(c -> c >= '0' && c <= '9').count();
  }

  /** One-digit groups after the country code of an international number. */
  private static int singleDigitGroups(String international) {
    String[] groups = international.substring(1).split("[^0-9]+");
    int count = 0;
    for (int i = 1; i < groups.length; i++) {
      if (groups[i].length() == 1) {
        count++;
      }
    }
    return count;
  }

  private static boolean isIbanChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  // Of two matches with the same span, the one whose check is strongest names it.
  private static int priority(PiiKind kind) {
    return switch (kind) {
      case IBAN -> 0;
      case CARD -> 1;
      case EMAIL -> 2;
      case PHONE -> 3;
    };
  }

  private static Map<String, Integer> ibanLengths(String table) {
    Map<String, Integer> lengths = new HashMap<>();
    for (String entry : table.split(" ")) {
      lengths.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
    }
    return Map.copyOf(lengths);
  }
}
