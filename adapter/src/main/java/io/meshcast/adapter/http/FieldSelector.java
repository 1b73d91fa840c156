package io.meshcast.adapter.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The adapter's one parser of Kubernetes field selectors ({@code k=v,k==v,k!=v}, backslash
 * escapes), for authorization (the SubjectAccessReview's field requirements, {@code
 * metadata.name} naming the object) and routing (the one selector the metric routes honour).
 * Unparseable input yields no terms (apiserver then puts no field requirements into the
 * SubjectAccessReview). Stateless.
 */
public final class FieldSelector {

  private FieldSelector() {}

  /** One requirement: {@code key = value} or, with {@code notEquals}, {@code key != value}. */
  public record Term(String key, boolean notEquals, String value) {}

  /** The terms of a selector; empty for null, blank or unparseable input. */
  public static List<Term> parse(String selector) {
    List<Term> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return terms;
    }
    for (String raw : splitUnescaped(selector, ',')) {
      String t = raw.trim();
      int ne = indexUnescaped(t, "!=");
      int dbl = indexUnescaped(t, "==");
      int eq = indexUnescaped(t, "=");
      String key;
      String value;
      boolean not = false;
      if (ne >= 0) {
        key = t.substring(0, ne);
        value = t.substring(ne + 2);
        not = true;
      } else if (dbl >= 0) {
        key = t.substring(0, dbl);
        value = t.substring(dbl + 2);
      } else if (eq >= 0) {
        key = t.substring(0, eq);
        value = t.substring(eq + 1);
      } else {
        return List.of();
      }
      if (key.isBlank()) {
        return List.of();
      }
      terms.add(new Term(key.trim(), not, unescape(value)));
    }
    return terms;
  }

  private static List<String> splitUnescaped(String s, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static int indexUnescaped(String s, String op) {
    for (int i = 0; i + op.length() <= s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
        continue;
      }
      if (s.startsWith(op, i)) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        out.append(s.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
