import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the structure of a source tree: the graph of its packages has no cycle, no package
 * outside {@code x} uses a package {@code x.internal} (or one below it), and no source file is
 * longer than a limit. Run with the JDK's single-file launcher, from a module's tests:
 *
 * <pre>java scripts/SourceStructure.java [--max-lines 400] SOURCE_ROOT...</pre>
 *
 * <p>An edge {@code p -> q} exists when a file of package {@code p} names a type of package {@code
 * q} under {@code io.meshcast}, by an import (static or not) or by a fully qualified name in code
 * (comments and string literals are ignored, so javadoc links do not count). Packages are the
 * lower-case leading segments of a name. An {@code internal} package is Go's convention made a
 * rule: {@code a.b.internal.c} may be named only from {@code a.b} and packages below it, so a
 * module's public API is what lies outside its {@code internal} packages. Exit code 0 when all
 * checks pass; 1 with one line per
 * problem otherwise: each cycle (a strongly connected component of more than one package) is
 * printed with the files that make its edges, so the message names what to move.
 */
public final class SourceStructure {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.meshcast(?:\\.[a-z_][\\w]*)*\\.[A-Z]\\w*");
  private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
      "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'",
      Pattern.DOTALL);

  private SourceStructure() {}

  public static void main(String[] args) throws IOException {
    int maxLines = 400;
    final List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--max-lines")) {
        maxLines = Integer.parseInt(args[++i]);
      } else {
        roots.add(Path.of(args[i]));
      }
    }
    if (roots.isEmpty()) {
      System.err.println("usage: java SourceStructure.java [--max-lines N] SOURCE_ROOT...");
      System.exit(2);
    }
    final List<String> problems = new ArrayList<>();
    // package -> (referenced package -> files of the package that reference it)
    final Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
    int files = 0;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        System.err.println("SourceStructure: not a directory: " + root.toAbsolutePath());
        System.exit(2);
      }
      final List<Path> sources;
      try (Stream<Path> s = Files.walk(root)) {
        sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path file : sources) {
        files++;
        final String text = Files.readString(file);
        final long lines = text.lines().count();
        if (lines > maxLines) {
          problems.add("too long: " + root.relativize(file) + " has " + lines + " lines (limit "
              + maxLines + ")");
        }
        final Matcher pm = PACKAGE.matcher(text);
        if (!pm.find()) {
          continue;
        }
        final String pkg = pm.group(1);
        final Map<String, Set<String>> out = graph.computeIfAbsent(pkg, k -> new TreeMap<>());
        final Matcher rm = REFERENCE.matcher(COMMENTS_AND_STRINGS.matcher(text).replaceAll(" "));
        while (rm.find()) {
          final String target = packageOf(rm.group());
          if (!target.equals(pkg)) {
            out.computeIfAbsent(target, k -> new TreeSet<>())
                .add(file.getFileName().toString());
          }
        }
      }
    }
    graph.forEach((from, edges) -> edges.forEach((to, where) -> {
      final int internal = (to + ".").indexOf(".internal.");
      if (internal >= 0) {
        final String owner = to.substring(0, internal);
        if (!from.equals(owner) && !from.startsWith(owner + ".")) {
          problems.add("internal package used from outside " + owner + ": " + from + " -> " + to
              + " (" + String.join(", ", where) + ")");
        }
      }
    }));
    for (List<String> cycle : cycles(graph)) {
      final StringBuilder b = new StringBuilder("package cycle: " + String.join(", ", cycle));
      for (String from : cycle) {
        graph.get(from).forEach((to, where) -> {
          if (cycle.contains(to)) {
            b.append("\n    ").append(from).append(" -> ").append(to).append(" (")
                .append(String.join(", ", where)).append(')');
          }
        });
      }
      problems.add(b.toString());
    }
    if (problems.isEmpty()) {
      System.out.println("SourceStructure: " + files + " files, " + graph.size()
          + " packages, no package cycle, no internal package used from outside, none over "
          + maxLines + " lines");
      return;
    }
    problems.forEach(System.out::println);
    System.exit(1);
  }

  /** {@code io.meshcast.a.b.Type.Inner} to {@code io.meshcast.a.b}. */
  private static String packageOf(String name) {
    final String[] parts = name.split("\\.");
    final StringBuilder b = new StringBuilder();
    for (String part : parts) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(part);
    }
    return b.toString();
  }

  /** Strongly connected components of more than one package (Tarjan, iterative). */
  private static List<List<String>> cycles(Map<String, Map<String, Set<String>>> graph) {
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new TreeSet<>();
    final List<List<String>> result = new ArrayList<>();
    for (String start : graph.keySet()) {
      if (index.containsKey(start)) {
        continue;
      }
      // frames: node and the iterator position over its successors
      final Deque<Object[]> frames = new ArrayDeque<>();
      frames.push(new Object[] {start, new ArrayList<>(graph.get(start).keySet()), 0});
      index.put(start, index.size());
      low.put(start, index.get(start));
      stack.push(start);
      onStack.add(start);
      while (!frames.isEmpty()) {
        final Object[] f = frames.peek();
        final String v = (String) f[0];
        @SuppressWarnings("unchecked")
        final List<String> next = (List<String>) f[1];
        final int i = (Integer) f[2];
        if (i < next.size()) {
          f[2] = i + 1;
          final String w = next.get(i);
          if (!graph.containsKey(w)) {
            continue; // a package of another module: cannot be on a cycle with this one
          }
          if (!index.containsKey(w)) {
            index.put(w, index.size());
            low.put(w, index.get(w));
            stack.push(w);
            onStack.add(w);
            frames.push(new Object[] {w, new ArrayList<>(graph.get(w).keySet()), 0});
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        frames.pop();
        if (!frames.isEmpty()) {
          final String parent = (String) frames.peek()[0];
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          final List<String> component = new ArrayList<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
          } while (!w.equals(v));
          if (component.size() > 1) {
            component.sort(null);
            result.add(component);
          }
        }
      }
    }
    return result;
  }
}
