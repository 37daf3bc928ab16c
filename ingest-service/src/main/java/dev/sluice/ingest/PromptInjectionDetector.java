package dev.sluice.ingest;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flags chunk text that reads as instructions to a language model rather than content: text that a
 * retrieval-augmented answer would put in front of a model, where it could take over. A heuristic
 * for filtering and review, not a guarantee; precision over recall, so every rule needs a phrase that
 * ordinary prose, manuals and e-mails do not use. The rules, on the text after undoing hidden-text
 * tricks:
 *
 * <ol>
 *   <li>{@code instruction-override}: "ignore / disregard / forget / override / bypass" + "previous /
 *       prior / above / earlier / original ..." + "instructions / prompts / rules / guidelines ..."
 *       ("ignore all previous instructions", "disregard the above rules"); the same verbs + "all /
 *       any" + "instructions / directives / prompts" ("ignore all instructions"); "forget everything
 *       you were told / above". Not "ignore safety rules" or "forget all the rules": prose says that;
 *   <li>{@code persona}: "you are now" + DAN / jailbroken / unrestricted / unfiltered / uncensored /
 *       "no longer bound" / "free from restrictions", "act as an unrestricted ...", "enable DAN mode";
 *   <li>{@code system-prompt}: reveal / print / repeat / show / ignore / override ... + "system
 *       prompt / instructions", "hidden instructions", "secret prompt", "initial / original / developer
 *       prompt"; "begin / end system prompt";
 *   <li>{@code role-tag}: chat-template control tokens ({@code <|im_start|>}, {@code <|system|>},
 *       {@code <|eot_id|>}, {@code [INST]}, {@code <<SYS>>}, {@code <start_of_turn>}, ...), which no
 *       document needs in its text;
 *   <li>{@code ai-address}: "if you are an AI / LLM / language model" followed by punctuation or
 *       "reading / processing / summarising" (not "if you are an AI researcher").
 * </ol>
 *
 * Hidden-text tricks undone first: text in Unicode tag characters read as the ASCII it encodes, NFKC
 * (full-width and styled letters), invisible and format characters (zero-width spaces and joiners,
 * soft hyphens, bidi controls) removed, Latin look-alike letters of Cyrillic and Greek folded to Latin, and letter-spaced words
 * ("i g n o r e") joined; the patterns allow words to run together for the same reason. Text hidden
 * by styling (white on white, zero-size fonts) reaches this class as ordinary text and is judged as
 * such. Stateless; thread-safe.
 */
final class PromptInjectionDetector {
  /** The chunk flag this detector sets. */
  static final String FLAG = "prompt-injection";

  private static final String S = "\\s*";
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}\\p{Co}\\p{Cs}\\u00AD\\u034F\\u115F\\u1160\\u3164\\uFFA0&&[^\\s]]");
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");
  // Three or more single letters each followed by one space: a letter-spaced word ("a l l").
  private static final Pattern LETTER_SPACED = Pattern.compile("(?<![\\p{L}\\p{N}])(?:\\p{L} ){2,}\\p{L}(?![\\p{L}\\p{N}])");

  private record Rule(String name, Pattern pattern) {}

  private static final List<Rule> RULES = List.of(
      new Rule("instruction-override", Pattern.compile(
          "\\b(?:ignore|disregard|forget|override|bypass)" + S + "(?:(?:all|any|every|each|the|your|my|our|of|these|those)" + S + "){0,4}"
              + "(?:previous|prior|above|earlier|preceding|foregoing|original|initial)" + S
              + "(?:(?:user|model|assistant|ai|llm)" + S + ")?"
              + "(?:instructions?|prompts?|directions|directives?|rules|guidelines|guardrails|commands)\\b")),
      new Rule("instruction-override", Pattern.compile(
          "\\b(?:ignore|disregard|forget)" + S + "(?:all|any|every)" + S + "(?:of" + S + ")?(?:(?:your|the|my|these|those)" + S + ")?"
              + "(?:instructions|directives|prompts)\\b")),
      new Rule("instruction-override", Pattern.compile(
          "\\bforget" + S + "(?:everything|all)" + S + "(?:you" + S + "(?:were|have" + S + "been)" + S + "told|(?:that" + S + ")?(?:came" + S + ")?above\\b)")),
      new Rule("persona", Pattern.compile(
          "\\byou" + S + "are" + S + "now" + S + "(?:(?:a|an|the|in|my)\\s+)?"
              + "(?:dan\\b|jailbroken|unrestricted|unfiltered|uncensored|"
              + "no" + S + "longer" + S + "(?:bound|restricted|limited|an?" + S + "(?:ai|assistant|language" + S + "model))|"
              + "free" + S + "(?:from|of)" + S + "(?:all" + S + ")?(?:your" + S + ")?(?:restrictions|rules|guidelines|limitations|filters))")),
      new Rule("persona", Pattern.compile(
          "\\b(?:act|behave|respond|answer)" + S + "as" + S + "(?:an?" + S + ")?(?:unrestricted|unfiltered|uncensored|jailbroken)\\b")),
      new Rule("persona", Pattern.compile("\\b(?:enter|enable|activate|switch" + S + "to)" + S + "(?:dan|jailbreak)" + S + "mode\\b")),
      new Rule("system-prompt", Pattern.compile(
          "\\b(?:reveal|print|output|repeat|display|show|leak|disclose|dump|tell" + S + "me|give" + S + "me|ignore|override|bypass|forget)"
              + S + "(?:(?:me|us|the|your|its|my|all|of|full|entire|complete|exact)" + S + "){0,4}"
              + "(?:(?:system|hidden|secret)" + S + "(?:prompt|instructions)|(?:initial|original|developer)" + S + "prompt)s?\\b")),
      new Rule("system-prompt", Pattern.compile("\\b(?:begin|end|start)" + S + "(?:of" + S + ")?(?:the" + S + ")?system" + S + "prompt\\b")),
      new Rule("role-tag", Pattern.compile(
          "<\\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text|end_of_text|start_header_id|end_header_id|eot_id)\\|>"
              + "|\\[/?inst\\]|<<" + S + "/?" + S + "sys" + S + ">>|<" + S + "/?" + S + "(?:start_of_turn|end_of_turn)" + S + ">")),
      new Rule("ai-address", Pattern.compile(
          "\\bif" + S + "you" + S + "are" + S + "(?:an?" + S + ")?(?:ai|llm|large" + S + "language" + S + "model|language" + S + "model)"
              + "(?:" + S + "(?:model|assistant|system|agent))?"
              + "(?:" + S + "[,.;:!]|\\s+(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing)\\b)")));

  /** The rule {@code text} breaks first, if any (for logs and tests). */
  Optional<String> detect(String text) {
    String normal = normalise(text);
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(normal);
      if (m.find()) {
        return Optional.of(rule.name());
      }
    }
    return Optional.empty();
  }

  /** The flags of a chunk with this text: {@link #FLAG}, or none. */
  Set<String> flags(String text) {
    return detect(text).isPresent() ? Set.of(FLAG) : Set.of();
  }

  /** The text as a reader sees it: lower case, no hidden characters, look-alikes and spacing undone. */
  static String normalise(String text) {
    String folded = Normalizer.normalize(revealTagText(text), Normalizer.Form.NFKC);
    folded = INVISIBLE.matcher(folded).replaceAll("");
    folded = foldLookAlikes(folded);
    Matcher spaced = LETTER_SPACED.matcher(folded);
    folded = spaced.replaceAll(r -> Matcher.quoteReplacement(r.group().replace(" ", "")));
    return WHITESPACE.matcher(folded).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }

  // Cyrillic and Greek letters drawn like Latin ones, as used to slip a phrase past a filter.
  private static final String LOOK_ALIKES = "аa еe оo рp сc уy хx іi јj ѕs ԁd һh ӏl ѵv ԛq ԝw "
      + "АA ВB ЕE КK МM НH ОO РP СC ТT ХX ІI ЈJ ЅS "
      + "αa εe ιi κk νv οo ρp τt υu χx ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX";

  // Unicode tag characters (U+E0020-U+E007E) shadow ASCII and render as nothing: text written in them
  // is read as the ASCII it encodes, so an instruction hidden that way is judged like a visible one.
  private static String revealTagText(String text) {
    if (text.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp >= 0xE0020 && cp <= 0xE007E) {
        out.append((char) (cp - 0xE0000));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  private static String foldLookAlikes(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int at = c < 0x0370 ? -1 : LOOK_ALIKES.indexOf(c);
      if (at >= 0 && at % 3 == 0) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, LOOK_ALIKES.charAt(at + 1));
      }
    }
    return out == null ? text : out.toString();
  }
}
