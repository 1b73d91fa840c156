package io.meshcast.adapter.source.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.source.SourceException.Kind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming decoder of the Prometheus HTTP API response envelope ({@code status}, {@code data},
 * {@code errorType}, {@code error}) for vector and matrix results. Streaming keeps 10k-series
 * answers cheap (no intermediate tree). Values are strings in the API ("1.5", "NaN", "+Inf").
 */
final class PrometheusJson {

  private static final JsonFactory JSON = new JsonFactory();

  private PrometheusJson() {}

  static List<Sample> vector(byte[] body, String query) {
    List<Sample> out = new ArrayList<>();
    parse(body, query, "vector", p -> {
      Map<String, String> labels = Map.of();
      Instant ts = null;
      double v = Double.NaN;
      expect(p, JsonToken.START_OBJECT, query);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("metric")) {
          labels = labels(p, query);
        } else if (f.equals("value")) {
          expect(p, JsonToken.START_ARRAY, query);
          p.nextToken();
          ts = instant(p.getDoubleValue());
          p.nextToken();
          v = value(p.getText(), query);
          expect(p.nextToken(), JsonToken.END_ARRAY, query);
        } else {
          p.skipChildren();
        }
      }
      if (ts == null) {
        throw bad(query, "vector element without value");
      }
      out.add(new Sample(labels, ts, v));
    });
    return out;
  }

  static List<RangeSeries> matrix(byte[] body, String query) {
    List<RangeSeries> out = new ArrayList<>();
    parse(body, query, "matrix", p -> {
      Map<String, String> labels = Map.of();
      long[] ts = new long[16];
      double[] vs = new double[16];
      int n = 0;
      expect(p, JsonToken.START_OBJECT, query);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("metric")) {
          labels = labels(p, query);
        } else if (f.equals("values")) {
          expect(p, JsonToken.START_ARRAY, query);
          while (p.nextToken() == JsonToken.START_ARRAY) {
            if (n == ts.length) {
              ts = java.util.Arrays.copyOf(ts, n * 2);
              vs = java.util.Arrays.copyOf(vs, n * 2);
            }
            p.nextToken();
            ts[n] = Math.round(p.getDoubleValue() * 1000);
            p.nextToken();
            vs[n] = value(p.getText(), query);
            n++;
            expect(p.nextToken(), JsonToken.END_ARRAY, query);
          }
        } else {
          p.skipChildren();
        }
      }
      out.add(new RangeSeries(labels, java.util.Arrays.copyOf(ts, n),
          java.util.Arrays.copyOf(vs, n)));
    });
    return out;
  }

  private interface ElementReader {
    void read(JsonParser p) throws IOException;
  }

  /** Decodes a {@code /api/v1/series} answer: the label sets, {@code __name__} included. */
  static List<Map<String, String>> series(byte[] body, String match) {
    final com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw bad(match, "malformed JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw bad(match, "not a JSON object");
    }
    String status = root.path("status").asText("");
    if (status.equals("error")) {
      throw new SourceException(Kind.QUERY_ERROR, "Prometheus rejected the series selector ("
          + root.path("errorType").asText() + "): " + root.path("error").asText()
          + " [match: " + abbreviate(match) + "]");
    }
    if (!status.equals("success") || !root.path("data").isArray()) {
      throw bad(match, "expected status success and a data array");
    }
    List<Map<String, String>> out = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode s : root.get("data")) {
      if (!s.isObject()) {
        throw bad(match, "a series is not an object");
      }
      Map<String, String> labels = new java.util.LinkedHashMap<>();
      s.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.add(labels);
    }
    return out;
  }

  private static void parse(byte[] body, String query, String wantType, ElementReader element) {
    String status = null;
    String errorType = null;
    String error = null;
    String resultType = null;
    boolean sawResult = false;
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, query);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "status" -> status = p.getText();
          case "errorType" -> errorType = p.getText();
          case "error" -> error = p.getText();
          case "data" -> {
            if (t != JsonToken.START_OBJECT) {
              throw bad(query, "\"data\" is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String df = p.currentName();
              JsonToken dt = p.nextToken();
              if (df.equals("resultType")) {
                resultType = p.getText();
              } else if (df.equals("result")) {
                // Prometheus writes resultType first; a proxy that reorders must still be typed.
                if (resultType != null && !resultType.equals(wantType)) {
                  throw bad(query, "expected a " + wantType + " result, got " + resultType);
                }
                if (dt != JsonToken.START_ARRAY) {
                  throw bad(query, "\"result\" is not an array");
                }
                sawResult = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                  element.read(p);
                }
              } else {
                p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (SourceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw bad(query, "malformed JSON: " + firstLine(e.getMessage()));
    }
    if ("error".equals(status)) {
      throw new SourceException(Kind.QUERY_ERROR,
          "Prometheus rejected the query (" + errorType + "): " + error + " [query: "
              + abbreviate(query) + "]");
    }
    if (!"success".equals(status)) {
      throw bad(query, "missing or unknown \"status\": " + status);
    }
    if (!sawResult || resultType == null) {
      throw bad(query, "no data.result in a success response");
    }
    if (!resultType.equals(wantType)) {
      throw bad(query, "expected a " + wantType + " result, got " + resultType);
    }
  }

  private static Map<String, String> labels(JsonParser p, String query) throws IOException {
    expect(p, JsonToken.START_OBJECT, query);
    Map<String, String> m = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      p.nextToken();
      m.put(k, p.getText());
    }
    return m;
  }

  static double value(String s, String query) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw bad(query, "sample value \"" + abbreviate(s) + "\" is not a number");
        }
      }
    };
  }

  private static Instant instant(double seconds) {
    long ms = Math.round(seconds * 1000);
    return Instant.ofEpochMilli(ms);
  }

  private static void expect(JsonParser p, JsonToken want, String query) {
    expect(p.currentToken(), want, query);
  }

  private static void expect(JsonToken have, JsonToken want, String query) {
    if (have != want) {
      throw bad(query, "expected " + want + " but found " + have);
    }
  }

  private static SourceException bad(String query, String problem) {
    return new SourceException(Kind.BAD_RESPONSE,
        "unexpected response from Prometheus: " + problem + " [query: " + abbreviate(query) + "]");
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
