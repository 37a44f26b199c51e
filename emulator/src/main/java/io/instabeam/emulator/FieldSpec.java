package io.instabeam.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code fields} parameter with Graph field expansion: {@code
 * id,children{id,media_url},insights.metric(reach,saved).period(lifetime)}. Each entry has a name,
 * modifiers ({@code .metric(...)}, {@code .limit(n)}) and optional nested fields.
 */
record FieldSpec(String name, Map<String, String> modifiers, List<FieldSpec> nested) {

  boolean expanded() {
    return nested != null;
  }

  /** The {@code fields} text of {@code fields}, as a nested edge's paging link repeats it. */
  static String text(List<FieldSpec> fields) {
    StringBuilder text = new StringBuilder();
    for (FieldSpec f : fields) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(f.name());
      f.modifiers()
          .forEach(
              (name, value) -> text.append('.').append(name).append('(').append(value).append(')'));
      if (f.expanded()) {
        text.append('{').append(text(f.nested())).append('}');
      }
    }
    return text.toString();
  }

  /** Parses a whole {@code fields} value; null or blank gives an empty list. */
  static List<FieldSpec> parseList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    Parser parser = new Parser(text);
    List<FieldSpec> list = parser.list();
    if (parser.pos < text.length()) {
      throw GraphError.invalidParameter(
          "Syntax error \"Expected end of string instead of \""
              + text.charAt(parser.pos)
              + "\".\" at character "
              + parser.pos
              + ": "
              + text);
    }
    return list;
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    List<FieldSpec> list() {
      List<FieldSpec> fields = new ArrayList<>();
      while (true) {
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) == '}') {
          return fields;
        }
        if (text.charAt(pos) == ',') {
          pos++; // tolerate empty entries such as "id,,name"
          continue;
        }
        fields.add(field());
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        return fields;
      }
    }

    FieldSpec field() {
      String name = identifier();
      Map<String, String> modifiers = new LinkedHashMap<>();
      List<FieldSpec> nested = null;
      while (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        String modifier = identifier();
        expect('(');
        int close = text.indexOf(')', pos);
        if (close < 0) {
          throw syntax();
        }
        modifiers.put(modifier, text.substring(pos, close).trim());
        pos = close + 1;
      }
      if (pos < text.length() && text.charAt(pos) == '{') {
        pos++;
        nested = list();
        expect('}');
      }
      return new FieldSpec(name, modifiers, nested);
    }

    String identifier() {
      skipSpaces();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw syntax();
      }
      return text.substring(start, pos);
    }

    void expect(char c) {
      skipSpaces();
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw syntax();
      }
      pos++;
    }

    void skipSpaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    GraphError syntax() {
      return GraphError.invalidParameter(
          "Syntax error at character " + pos + " in fields: " + text);
    }
  }
}
