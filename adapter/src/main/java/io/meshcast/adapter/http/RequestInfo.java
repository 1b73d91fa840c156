package io.meshcast.adapter.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as every layer reads it: method, raw and percent-decoded path, its segments, and the
 * form-decoded query. Parsed once, by the first handler of the router ({@link #HANDLER}), and
 * read by authorization ({@code auth.RequestAttributes}), routing ({@code api.ApiRequest}) and the
 * access log, so they can never disagree about which object a request addresses.
 *
 * <p>Parsing never throws: a path or query that cannot be decoded (a bad or truncated escape,
 * escapes that are not UTF-8) is kept as a {@link StatusException} (400 naming the problem) that
 * {@link #path()} or {@link #query()} throws to whoever needs them; routes that never look at
 * them (health, {@code /metrics}) still answer. Separately, {@link #ambiguity()} says why the
 * path would be unsafe to authorize (an encoded {@code /} or {@code \}, a control or non-ASCII
 * character): authorization refuses such paths, routing does not need to.
 *
 * <p>The path is decoded as a whole before it is split, as Go's {@code url.URL.Path} (so {@code
 * %2A} is {@code *} and, for routing, {@code %2F} separates segments); the query is
 * form-decoded ({@code +} is a space) and the first value of a key wins, as Go's {@code
 * Values.Get}. Immutable.
 */
public final class RequestInfo {

  /** Context key under which {@link #HANDLER} stores the request's info. */
  public static final String KEY = "meshcast.requestInfo";

  /** The first handler of the router: parses the request once and calls the next handler. */
  public static final Handler<RoutingContext> HANDLER = ctx -> {
    of(ctx);
    ctx.next();
  };

  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final String path;
  private final List<String> segments;
  private final StatusException pathError;
  private final Map<String, String> query;
  private final StatusException queryError;
  private final String ambiguity;

  private RequestInfo(String method, String rawPath, String rawQuery) {
    this.method = Objects.requireNonNull(method, "method");
    this.rawPath = Objects.requireNonNull(rawPath, "rawPath");
    this.rawQuery = rawQuery;
    String decoded = null;
    StatusException pathProblem = null;
    try {
      decoded = percentDecode(rawPath, false, "path");
    } catch (StatusException e) {
      pathProblem = e;
    }
    this.path = decoded;
    this.pathError = pathProblem;
    this.segments = decoded == null ? List.of() : split(decoded);
    Map<String, String> q = Map.of();
    StatusException queryProblem = null;
    try {
      q = parseQuery(rawQuery);
    } catch (StatusException e) {
      queryProblem = e;
    }
    this.query = q;
    this.queryError = queryProblem;
    this.ambiguity = ambiguity(rawPath);
  }

  /** Parses a request; never throws (see the class comment). */
  public static RequestInfo parse(String method, String rawPath, String rawQuery) {
    return new RequestInfo(method, rawPath == null ? "" : rawPath, rawQuery);
  }

  /** The request's info: the one {@link #HANDLER} stored, else parsed now and stored. */
  public static RequestInfo of(RoutingContext ctx) {
    RequestInfo info = ctx.get(KEY);
    if (info == null) {
      info = parse(ctx.request().method().name(), ctx.request().path(), ctx.request().query());
      ctx.put(KEY, info);
    }
    return info;
  }

  /** The HTTP method as sent (upper case for the standard ones). */
  public String method() {
    return method;
  }

  /** The path as sent, still percent-encoded, without the query. */
  public String rawPath() {
    return rawPath;
  }

  /** The request target as sent: raw path and, if any, {@code ?} and the raw query. */
  public String target() {
    return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
  }

  /**
   * The percent-decoded path.
   *
   * @throws StatusException 400 if the path cannot be decoded
   */
  public String path() {
    if (pathError != null) {
      throw pathError;
    }
    return path;
  }

  /**
   * The decoded path split at every {@code /} after the leading one ({@code "/a//b/"} is {@code
   * [a, "", b, ""]}; {@code "/"} is {@code [""]}); callers decide what empty segments mean.
   *
   * @throws StatusException 400 if the path cannot be decoded
   */
  public List<String> segments() {
    path();
    return segments;
  }

  /**
   * The form-decoded query, first value per key.
   *
   * @throws StatusException 400 if the query cannot be decoded
   */
  public Map<String, String> query() {
    if (queryError != null) {
      throw queryError;
    }
    return query;
  }

  /** Whether path and query decoded. */
  public boolean decodable() {
    return pathError == null && queryError == null;
  }

  /**
   * Why the path cannot be authorized unambiguously (encoded {@code /} or {@code \}, control or
   * non-ASCII characters, raw or encoded), or empty.
   */
  public Optional<String> ambiguity() {
    return Optional.ofNullable(ambiguity);
  }

  /** Shortens what is echoed in messages and logs. */
  public static String abbreviate(String s) {
    return s.length() <= 256 ? s : s.substring(0, 256) + "...";
  }

  private static List<String> split(String decoded) {
    if (!decoded.startsWith("/")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : decoded.substring(1).split("/", -1)) {
      out.add(s);
    }
    return List.copyOf(out);
  }

  private static String ambiguity(String rawPath) {
    if (!rawPath.startsWith("/")) {
      return "not absolute";
    }
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '%' && i + 2 < rawPath.length()) {
        int hi = Character.digit(rawPath.charAt(i + 1), 16);
        int lo = Character.digit(rawPath.charAt(i + 2), 16);
        int b = hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        if (b == '/' || b == '\\') {
          return "encoded slash";
        }
        if ((b >= 0 && b < 0x20) || b == 0x7f) {
          return "control character";
        }
        i += 2;
      } else if (c < 0x20 || c == 0x7f || c > 0x7e) {
        return "bad character";
      }
    }
    return null;
  }

  /** Form-decodes a query string; the first occurrence of a key wins, as Go's Values.Get. */
  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
      String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true, "query");
      out.putIfAbsent(key, value);
    }
    return Map.copyOf(out);
  }

  /**
   * Strict percent-decoding to UTF-8; {@code plusIsSpace} for form-encoded queries. The one
   * percent decoder of the adapter.
   *
   * @param where {@code path} or {@code query}, for the message
   * @throws StatusException 400 naming the problem
   */
  public static String percentDecode(String s, boolean plusIsSpace, String where) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw StatusException.badRequest("invalid " + where + ": truncated percent-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw StatusException.badRequest(
              "invalid " + where + ": bad percent-escape \"" + s.substring(i, i + 3) + "\"");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
          end++;
        }
        byte[] run = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        bytes.write(run, 0, run.length);
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw StatusException.badRequest("invalid " + where + ": percent-escapes are not UTF-8");
    }
  }
}
