package io.meshcast.adapter.debug;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the forecaster's compact model names into words for the debug page, e.g. {@code
 * combo[0.00..0.34 ses + 1.00..0.66 hw-damped(1440)/log1p]} into {@code blend (weights at the
 * shortest → longest horizon): seasonal (1 day) + damped trend (Holt-Winters), log scale 1.00 →
 * 0.66 · level only (exponential smoothing) 0.00 → 0.34}. Seasonal periods,
 * which the names give in model steps, become durations. The grammar is the one the forecaster's
 * models print ({@code naive}, {@code ses}, {@code holt-damped}, {@code hw(p,…)}, {@code
 * hw-damped(p,…)}, {@code snaive(p)}, suffixes {@code /log1p} and {@code +profile(p)}, and {@code
 * combo[w..w name + …]}); a name it does not know is returned unchanged, so a new model shows
 * its raw name rather than a wrong description. Stateless.
 */
final class ModelDescription {

  private static final Pattern PERIODS = Pattern.compile("(hw|hw-damped|snaive)\\(([\\d,]+)\\)");
  private static final Pattern PROFILE = Pattern.compile("(.+)\\+profile\\((\\d+)\\)");
  private static final Pattern MEMBER =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(?:\\.\\.(\\d+(?:\\.\\d+)?))? (.+)");

  private ModelDescription() {}

  /** The description of {@code name} for a model stepping {@code step}; never null. */
  static String describe(String name, Duration step) {
    if (name == null || name.isBlank()) {
      return "no model";
    }
    if (name.startsWith("combo[") && name.endsWith("]")) {
      String combo = combination(name.substring(6, name.length() - 1), step);
      return combo == null ? name : combo;
    }
    String single = single(name, step);
    return single == null ? name : single;
  }

  private record Member(double first, double last, String description) {}

  /** Members sorted by weight, zero-weight members left out; null if a member is not understood. */
  private static String combination(String body, Duration step) {
    List<Member> members = new ArrayList<>();
    for (String part : body.split(" \\+ ")) {
      Matcher m = MEMBER.matcher(part.trim());
      if (!m.matches()) {
        return null;
      }
      double first = Double.parseDouble(m.group(1));
      double last = m.group(2) == null ? first : Double.parseDouble(m.group(2));
      String d = single(m.group(3), step);
      if (d == null) {
        return null;
      }
      if (first > 0 || last > 0) {
        members.add(new Member(first, last, d));
      }
    }
    if (members.isEmpty()) {
      return null;
    }
    if (members.size() == 1) {
      return members.get(0).description();
    }
    members.sort(Comparator.comparingDouble((Member x) -> -(x.first() + x.last())));
    boolean varies = members.stream().anyMatch(x -> x.first() != x.last());
    StringBuilder b = new StringBuilder(varies
        ? "blend (weights at the shortest → longest horizon): " : "blend (weights): ");
    for (int i = 0; i < members.size(); i++) {
      Member x = members.get(i);
      b.append(i == 0 ? "" : " · ").append(x.description()).append(' ').append(weight(x.first()));
      if (varies) {
        b.append(" → ").append(weight(x.last()));
      }
    }
    return b.toString();
  }

  /** One model, possibly transformed or seasonally adjusted; null if not understood. */
  private static String single(String name, Duration step) {
    if (name.endsWith("/log1p")) {
      String inner = single(name.substring(0, name.length() - "/log1p".length()), step);
      return inner == null ? null : inner + ", log scale";
    }
    Matcher p = PROFILE.matcher(name);
    if (p.matches()) {
      String inner = single(p.group(1), step);
      return inner == null ? null
          : inner + " after removing a " + duration(Integer.parseInt(p.group(2)), step)
              + " profile";
    }
    switch (name) {
      case "naive":
        return "last value (naive)";
      case "ses":
        return "level only (exponential smoothing)";
      case "holt-damped":
        return "level + damped trend (Holt)";
      default:
        break;
    }
    Matcher m = PERIODS.matcher(name);
    if (!m.matches()) {
      return null;
    }
    List<String> periods = new ArrayList<>();
    for (String s : m.group(2).split(",")) {
      periods.add(duration(Integer.parseInt(s), step));
    }
    String seasons = String.join(" and ", periods);
    return switch (m.group(1)) {
      case "hw" -> "seasonal (" + seasons + ") + level (Holt-Winters)";
      case "hw-damped" -> "seasonal (" + seasons + ") + damped trend (Holt-Winters)";
      default -> "same time one season earlier (" + seasons + ", seasonal naive)";
    };
  }

  /** {@code steps} model steps as a duration in the largest unit that divides it, e.g. 1 day. */
  static String duration(long steps, Duration step) {
    return steps * step.toMillis() % 1000 != 0 ? steps + " steps" : words(step.multipliedBy(steps));
  }

  /** A whole number of seconds in the largest unit that divides it (1 day, 6 h, 2 min, 15 s). */
  static String words(Duration d) {
    long s = d.toSeconds();
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + " ms";
    }
    if (s != 0 && s % 86_400 == 0) {
      return plural(s / 86_400, "day");
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + " min";
    }
    return s + " s";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String weight(double w) {
    return String.format(Locale.ROOT, "%.2f", w);
  }
}
