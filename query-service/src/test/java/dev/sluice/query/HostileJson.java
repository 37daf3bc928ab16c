package dev.sluice.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generators of search bodies as JSON text: mostly the shape of {@code POST /v1/search}, with
 * wrong types, unknown and forbidden fields, duplicate keys, deep nesting, numbers no type holds,
 * extreme dates, thousands of filter values, and strings that break naive code (lone surrogates,
 * NUL, RTL overrides, zero-width characters, injection payloads). The text is written here rather
 * than by Jackson because Jackson refuses to write much of it (a lone surrogate, {@code 1e999999}).
 */
final class HostileJson {
  /** Strings that have broken parsers, tokenizers, loggers or query languages somewhere. */
  static final List<String> NASTY = List.of("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83dy", "\ud83d\ude00",
      "\u202eevil\u202c", "\u200b", "\ufeff", "\u0301", "e\u0301\u0301\u0301", "\u00a0", "\r\n", "\t", "\\", "\"", "/",
      "../../../../etc/passwd", "%00", "%2e%2e%2f", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "' OR '1'='1",
      "*", "?", "*:*", "tenant:tenant-b", "AND OR NOT", "(((", "tenant-b", "tenant-a", "staff", "file:///etc/shadow",
      "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u4e2d\u6587", "\uffff", "\ufffe", "\u001b[31m", "%s%n%x");

  private final SplittableRandom random;

  HostileJson(SplittableRandom random) {
    this.random = random;
  }

  /** A raw JSON token, written as it is. */
  record Raw(String text) {}

  /** A search body: usually the right shape, each part wrong with some probability. */
  String searchBody() {
    return chance(0.5) ? wellTypedBody() : anyShapeBody();
  }

  /**
   * A body every type of which is right, so that it passes the parser's type checks and reaches the
   * embedder and the index with its hostile values: text, extreme dates, thousands of filter values.
   */
  String wellTypedBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    String query = text();
    body.put("query", query.isBlank() ? "lantern " + query : query);
    if (chance(0.5)) {
      body.put("topK", random.nextInt(1, 51));
    }
    if (chance(0.7)) {
      body.put("mode", pick(List.of("dense", "keyword", "hybrid")));
    }
    Map<String, Object> filters = new LinkedHashMap<>();
    for (String field : SearchFiltersParser.FIELDS) {
      if (chance(0.25)) {
        filters.put(field, switch (field) {
          case "metadata" -> {
            Map<String, Object> pairs = new LinkedHashMap<>();
            int n = chance(0.1) ? random.nextInt(100, 1500) : random.nextInt(0, 4);
            for (int i = 0; i < n; i++) {
              pairs.put(n > 50 ? "k" + i : string(), string());
            }
            yield pairs;
          }
          case "updatedAfter", "updatedBefore" -> date();
          default -> {
            List<Object> values = new ArrayList<>();
            int n = chance(0.05) ? random.nextInt(500, 3000) : random.nextInt(1, 5);
            for (int i = 0; i < n; i++) {
              String value = string();
              values.add(value.isEmpty() ? "v" + i : value);
            }
            yield values;
          }
        });
      }
    }
    if (!filters.isEmpty()) {
      body.put("filters", filters);
    }
    return write(body);
  }

  /** A body of roughly the right shape in which any part may have the wrong type or name. */
  String anyShapeBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (chance(0.9)) {
      body.put("query", chance(0.75) ? text() : anyValue(3));
    }
    if (chance(0.5)) {
      body.put("topK", topK());
    }
    if (chance(0.5)) {
      body.put("mode", pick(List.of("dense", "keyword", "hybrid", "HYBRID", "Dense", "semantic", "", 1, true, new Raw("null"),
          List.of("dense"), Map.of("mode", "dense"))));
    }
    if (chance(0.6)) {
      body.put("filters", chance(0.85) ? filters() : anyValue(3));
    }
    if (chance(0.1)) {
      body.put(pick(List.of("tenant", "groups", "limit", "__proto__", "constructor", "query ", "Query", string())), anyValue(2));
    }
    String json = write(body);
    if (chance(0.05)) {
      // A duplicate key, which the parser refuses instead of letting the last one win.
      json = json.startsWith("{}") ? json : "{\"query\":\"dup\"," + json.substring(1);
    }
    return json;
  }

  private Object topK() {
    return pick(List.of(random.nextInt(-5, 60), 1, 50, 51, 0, -1, Integer.MAX_VALUE, Long.MAX_VALUE, new Raw("-0"),
        new Raw("9223372036854775808"), new Raw("1" + "0".repeat(400)), new Raw("1e999999"), new Raw("1.0"), new Raw("2.5"),
        new Raw("1e1"), "10", true, new Raw("null"), List.of(10), Map.of()));
  }

  private Map<String, Object> filters() {
    Map<String, Object> filters = new LinkedHashMap<>();
    for (String field : SearchFiltersParser.FIELDS) {
      if (!chance(0.3)) {
        continue;
      }
      Object value = switch (field) {
        case "metadata" -> chance(0.8) ? metadata() : anyValue(2);
        case "updatedAfter", "updatedBefore" -> chance(0.85) ? date() : anyValue(2);
        default -> chance(0.85) ? strings() : anyValue(2);
      };
      filters.put(field, value);
    }
    if (chance(0.1)) {
      filters.put(pick(List.of("author", "tenant", "docids", "flags", "excludeFlags", string())), strings());
    }
    return filters;
  }

  private List<Object> strings() {
    int n = chance(0.05) ? random.nextInt(1000, 5000) : random.nextInt(0, 6);
    List<Object> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(chance(0.9) ? string() : anyValue(1));
    }
    return values;
  }

  private Map<String, Object> metadata() {
    int n = chance(0.05) ? random.nextInt(1000, 4000) : random.nextInt(0, 5);
    Map<String, Object> pairs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      pairs.put(n > 100 ? "k" + i : string(), chance(0.9) ? string() : anyValue(1));
    }
    return pairs;
  }

  private Object date() {
    return pick(List.of("2025-01-01T00:00:00Z", "2025-03-01", "2025-03-01T12:00:00+05:30", "2025-03-01T12:00:00.123456789Z",
        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "-0001-01-01", "292278994-08-17T07:12:55.807Z", "1970-01-01T00:00:00Z", "2025-02-30", "2025-13-01", "99999-01-01",
        "2025-01-01T00:00:00+18:00", "2025-01-01T00:00:00-18:00", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00", "now", "",
        "2025-01-01T00:00:00Z\u0000", "\u0662\u0660\u0662\u0665-01-01", new Raw("1735689600000"), new Raw("-1"), new Raw("1e30")));
  }

  /** A query text: ordinary words, a nasty string, a long one, or random code points. */
  String text() {
    return switch (random.nextInt(6)) {
      case 0 -> pick(List.of("lighthouse keeper", "capital of Zorblax", "bergamot marmalade", "turbine coolant"));
      case 1 -> pick(NASTY);
      case 2 -> "w".repeat(random.nextInt(1990, 2010));
      case 3 -> (pick(NASTY) + " ").repeat(random.nextInt(1, 200));
      default -> string();
    };
  }

  /** Random code points from every plane, with lone surrogates and control characters among them. */
  String string() {
    if (chance(0.3)) {
      return pick(NASTY);
    }
    int length = random.nextInt(0, chance(0.05) ? 3000 : 24);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> s.append((char) random.nextInt(0, 0x20));
        case 1 -> s.append((char) random.nextInt(0xD800, 0xE000));
        case 2 -> s.appendCodePoint(random.nextInt(0x10000, 0x110000));
        case 3 -> s.append((char) random.nextInt(0x80, 0xD800));
        default -> s.append((char) random.nextInt(0x20, 0x7F));
      }
    }
    return s.toString();
  }

  /** Any JSON value, nested up to {@code depth}; now and then nested far deeper than any parser allows. */
  Object anyValue(int depth) {
    if (chance(0.02)) {
      int levels = random.nextInt(500, 5000);
      return new Raw("[".repeat(levels) + "]".repeat(levels));
    }
    int kind = depth <= 0 ? random.nextInt(5) : random.nextInt(7);
    return switch (kind) {
      case 0 -> string();
      case 1 -> random.nextLong();
      case 2 -> pick(List.of(new Raw("1e308"), new Raw("-1e-400"), new Raw("0.0000000000000000000001"), new Raw("NaN"),
          new Raw("Infinity"), new Raw("01"), new Raw("1.5e+2"), 3.25));
      case 3 -> random.nextBoolean();
      case 4 -> new Raw("null");
      case 5 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(anyValue(depth - 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put(string(), anyValue(depth - 1));
        }
        yield map;
      }
    };
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Writes {@code value} as JSON text; strings escape every non-ASCII char as {@code \\uXXXX}, lone surrogates included. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case Raw raw -> out.append(raw.text());
      case String s -> string(s, out);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string(String.valueOf(entry.getKey()), out);
          out.append(':');
          write(entry.getValue(), out);
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(list.get(i), out);
        }
        out.append(']');
      }
      default -> out.append(value);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
