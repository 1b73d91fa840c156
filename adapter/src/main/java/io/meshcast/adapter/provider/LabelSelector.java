package io.meshcast.adapter.provider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed Kubernetes label selector in the string syntax of {@code labels.Parse}: comma-separated
 * requirements {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)},
 * {@code k} (exists), {@code !k} (does not exist), {@code k>n}, {@code k<n}. The empty selector
 * matches everything.
 *
 * <p>Immutable and thread-safe. {@link #parse} rejects bad syntax and invalid keys or values with
 * an {@link InvalidSelectorException} whose message names the offending part.
 */
public record LabelSelector(List<Requirement> requirements) {

  /** Selector operators, with their string form. */
  public enum Operator {
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    IN("in"),
    NOT_IN("notin"),
    EXISTS(""),
    DOES_NOT_EXIST("!"),
    GREATER_THAN(">"),
    LESS_THAN("<");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** One requirement: a key, an operator and (for most operators) values. */
  public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      values = List.copyOf(values);
    }

    /** Whether a set of labels satisfies this requirement (Kubernetes semantics). */
    public boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      switch (operator) {
        case EQUALS, DOUBLE_EQUALS, IN:
          return v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN:
          return v == null || !values.contains(v);
        case EXISTS:
          return v != null;
        case DOES_NOT_EXIST:
          return v == null;
        case GREATER_THAN, LESS_THAN:
          if (v == null) {
            return false;
          }
          final long have;
          try {
            have = Long.parseLong(v);
          } catch (NumberFormatException e) {
            return false;
          }
          long want = Long.parseLong(values.get(0));
          return operator == Operator.GREATER_THAN ? have > want : have < want;
        default:
          throw new AssertionError(operator);
      }
    }

    @Override
    public String toString() {
      return switch (operator) {
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
        case IN, NOT_IN -> key + " " + operator.symbol() + " (" + String.join(",", values) + ")";
        default -> key + operator.symbol() + values.get(0);
      };
    }
  }

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
  private static final int MAX_SELECTOR_LENGTH = 16 * 1024;
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,18}");

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /** The selector that matches everything (an absent or empty parameter). */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** A selector of {@code key=value} requirements, one per map entry. */
  public static LabelSelector ofEquals(Map<String, String> labels) {
    List<Requirement> reqs = new ArrayList<>();
    labels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    reqs.sort(Comparator.comparing(Requirement::key));
    return new LabelSelector(reqs);
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** Whether the labels satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Labels fixed by equality requirements ({@code =}, {@code ==}, single-valued {@code in}), e.g.
   * for echoing a selector as {@code matchLabels}.
   */
  public Map<String, String> equalityLabels() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Requirement r : requirements) {
      boolean eq =
          r.operator() == Operator.EQUALS
              || r.operator() == Operator.DOUBLE_EQUALS
              || (r.operator() == Operator.IN && r.values().size() == 1);
      if (eq) {
        out.put(r.key(), r.values().get(0));
      }
    }
    return out;
  }

  /** Canonical string form; {@code parse(s.toString())} gives an equal selector. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Requirement r : requirements) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(r);
    }
    return sb.toString();
  }

  /** Thrown for selector strings that Kubernetes would reject. */
  public static final class InvalidSelectorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidSelectorException(String selector, String problem) {
      super("unable to parse requirement: " + problem + " in selector \"" + abbreviate(selector) + "\"");
    }

    private static String abbreviate(String s) {
      return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
  }

  /**
   * Parses a selector string. {@code null} or blank means everything.
   *
   * @throws InvalidSelectorException naming the problem
   */
  public static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    if (selector.length() > MAX_SELECTOR_LENGTH) {
      throw new InvalidSelectorException(selector, "selector longer than " + MAX_SELECTOR_LENGTH);
    }
    return new Parser(selector).parse();
  }

  /** Recursive-descent parser over the token stream of {@code labels.Parse}. */
  private static final class Parser {
    private final String src;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    Parser(String src) {
      this.src = src;
      lex();
    }

    private void lex() {
      int i = 0;
      int n = src.length();
      while (i < n) {
        char c = src.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(' || c == ')' || c == ',' || c == '<' || c == '>') {
          tokens.add(String.valueOf(c));
          i++;
        } else if (c == '!' || c == '=') {
          if (i + 1 < n && src.charAt(i + 1) == '=') {
            tokens.add(c + "=");
            i += 2;
          } else {
            tokens.add(String.valueOf(c));
            i++;
          }
        } else {
          int start = i;
          while (i < n && !isSpecial(src.charAt(i)) && !Character.isWhitespace(src.charAt(i))) {
            i++;
          }
          tokens.add("\0" + src.substring(start, i)); // NUL marks an identifier token
        }
      }
    }

    private static boolean isSpecial(char c) {
      return c == '(' || c == ')' || c == ',' || c == '<' || c == '>' || c == '!' || c == '=';
    }

    private String peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private String next() {
      return pos < tokens.size() ? tokens.get(pos++) : null;
    }

    private InvalidSelectorException error(String problem) {
      return new InvalidSelectorException(src, problem);
    }

    private static boolean isIdent(String t) {
      return t != null && t.startsWith("\0");
    }

    LabelSelector parse() {
      List<Requirement> reqs = new ArrayList<>();
      while (true) {
        reqs.add(requirement());
        String t = next();
        if (t == null) {
          break;
        }
        if (!t.equals(",")) {
          throw error("found '" + show(t) + "', expected: ',' or end of string");
        }
        if (peek() == null) {
          throw error("found end of string, expected: identifier after ','");
        }
      }
      reqs.sort(Comparator.comparing(Requirement::key));
      return new LabelSelector(reqs);
    }

    private Requirement requirement() {
      String t = next();
      if ("!".equals(t)) {
        String key = identifier("key after '!'");
        validateKey(key);
        String after = peek();
        if (after != null && !after.equals(",")) {
          throw error("found '" + show(after) + "', expected: ',' or end of string after !" + key);
        }
        return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
      }
      if (!isIdent(t)) {
        throw error("found '" + show(t) + "', expected: !, identifier, or end of string");
      }
      String key = t.substring(1);
      validateKey(key);
      String op = peek();
      if (op == null || op.equals(",")) {
        return new Requirement(key, Operator.EXISTS, List.of());
      }
      next();
      return switch (op) {
        case "=" -> single(key, Operator.EQUALS);
        case "==" -> single(key, Operator.DOUBLE_EQUALS);
        case "!=" -> single(key, Operator.NOT_EQUALS);
        case ">" -> integer(key, Operator.GREATER_THAN);
        case "<" -> integer(key, Operator.LESS_THAN);
        case "\0in" -> set(key, Operator.IN);
        case "\0notin" -> set(key, Operator.NOT_IN);
        default -> throw error(
            "found '" + show(op) + "', expected: in, notin, =, ==, !=, gt, lt after key " + key);
      };
    }

    private Requirement single(String key, Operator op) {
      String t = peek();
      String value = "";
      if (isIdent(t)) {
        next();
        value = t.substring(1);
      } else if (t != null && !t.equals(",")) {
        throw error("found '" + show(t) + "', expected: value for key " + key);
      }
      validateValue(key, value);
      return new Requirement(key, op, List.of(value));
    }

    private Requirement integer(String key, Operator op) {
      String t = next();
      if (!isIdent(t) || !INTEGER.matcher(t.substring(1)).matches()) {
        throw error(
            "for '" + op.symbol() + "' operator, the value of key " + key + " must be an integer");
      }
      String v = t.substring(1);
      Long.parseLong(v); // range checked by the pattern (at most 18 digits)
      return new Requirement(key, op, List.of(v));
    }

    private Requirement set(String key, Operator op) {
      if (!"(".equals(next())) {
        throw error("expected '(' after '" + op.symbol() + "' for key " + key);
      }
      TreeSet<String> values = new TreeSet<>();
      while (true) {
        String t = peek();
        if (isIdent(t)) {
          next();
          validateValue(key, t.substring(1));
          values.add(t.substring(1));
          t = peek();
        } else {
          values.add(""); // an empty element, as in "in (a,,b)" or "in ()"
        }
        String sep = next();
        if (")".equals(sep)) {
          break;
        }
        if (!",".equals(sep)) {
          throw error("found '" + show(sep) + "', expected: ',' or ')' in values of key " + key);
        }
      }
      // Like labels.Parse, "k in ()" is accepted and means the single empty value.
      return new Requirement(key, op, new ArrayList<>(values));
    }

    private String identifier(String what) {
      String t = next();
      if (!isIdent(t)) {
        throw error("found '" + show(t) + "', expected: " + what);
      }
      return t.substring(1);
    }

    private void validateKey(String key) {
      String name = key;
      int slash = key.indexOf('/');
      if (slash >= 0) {
        String prefix = key.substring(0, slash);
        name = key.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
          throw error("invalid label key \"" + key + "\": prefix must be a DNS subdomain");
        }
      }
      if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
        throw error(
            "invalid label key \"" + key + "\": name part must be 63 characters or less, "
                + "alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric");
      }
    }

    private void validateValue(String key, String value) {
      if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
        throw error(
            "invalid label value \"" + value + "\" for key " + key + ": must be 63 characters or "
                + "less, alphanumeric, '-', '_' or '.', starting and ending with an alphanumeric");
      }
    }

    private static String show(String token) {
      if (token == null) {
        return "end of string";
      }
      return token.startsWith("\0") ? token.substring(1) : token;
    }
  }
}
