package io.meshcast.adapter.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.PrometheusConfig.BasicAuth;
import io.meshcast.adapter.config.PrometheusConfig.Method;
import io.meshcast.adapter.config.PrometheusConfig.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the YAML configuration into an {@link AdapterConfig}. All validation
 * happens here: a returned config is usable as is. Failures are {@link ConfigException}s naming the
 * key and the bad value. Stateless and thread-safe.
 */
public final class ConfigLoader {

  /** Names of the built-in golden-signal metrics, in serving order. */
  public static final List<String> PRESET_NAMES =
      List.of(
          "kuma_rps",
          "kuma_error_ratio",
          "kuma_latency_p50_ms",
          "kuma_latency_p90_ms",
          "kuma_latency_p99_ms",
          "kuma_inflight",
          "kuma_demand_rps");

  /** Top-level sections owned by other parts of the adapter; read by them, accepted here. */
  public static final Set<String> OTHER_SECTIONS =
      Set.of("server", "tls", "auth", "anomaly", "logging");

  private static final List<String> OWN_SECTIONS =
      List.of("prometheus", "refresh", "kuma", "metrics", "rules", "kubernetes",
          "prometheusAdapterRules", "forecast", "debug", "delegate", "sharding", "graph");

  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {}

  /** Reads and validates a file. */
  public static AdapterConfig load(Path file) {
    return load(file, Optional.empty());
  }

  /**
   * Reads and validates a file: meshcast's format, or prometheus-adapter's ({@code rules} with
   * {@code seriesQuery}, {@code externalRules}) when {@code prometheusUrl} is given. The URL, when
   * given, replaces {@code prometheus.url} (prometheus-adapter's {@code --prometheus-url}).
   */
  public static AdapterConfig load(Path file, Optional<String> prometheusUrl) {
    final String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("", "cannot read " + file + ": " + IoReasons.of(e));
    }
    return parse(text, prometheusUrl);
  }

  /** Parses and validates YAML text. */
  public static AdapterConfig parse(String yaml) {
    return parse(yaml, Optional.empty());
  }

  /** Parses and validates YAML text; see {@link #load(Path, Optional)}. */
  public static AdapterConfig parse(String yaml, Optional<String> prometheusUrl) {
    final JsonNode read;
    try {
      read = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }
    JsonNode tree = withPrometheusUrl(read, prometheusUrl);
    Node root = Node.root(tree);
    // Unknown top-level keys first: a misspelt "prometheus" should be named as the typo, not
    // reported as a missing prometheus section.
    for (String k : root.keys()) {
      if (!OTHER_SECTIONS.contains(k) && !OWN_SECTIONS.contains(k)) {
        List<String> known = new ArrayList<>(OWN_SECTIONS);
        known.addAll(new java.util.TreeSet<>(OTHER_SECTIONS));
        throw new ConfigException(k, "unknown key" + Node.closest(k, known)
            .map(c -> " (did you mean \"" + c + "\"?)")
            .orElse(" (known: " + String.join(", ", known) + ")"));
      }
    }
    PrometheusConfig prometheus =
        prometheus(root.child("prometheus")
            .orElseThrow(() -> new ConfigException("prometheus", "is required (at least url)")));
    RefreshConfig refresh = refresh(root.childOrEmpty("refresh"));
    KumaConfig kuma = kuma(root.childOrEmpty("kuma"));
    List<RuleConfig> rules = new ArrayList<>();
    Set<String> names = new HashSet<>(PRESET_NAMES);
    for (Node r : root.mappingList("rules")) {
      RuleConfig rule = RuleSection.rule(r);
      if (!names.add(rule.name())) {
        throw new ConfigException(r.key("name"), "duplicate metric name \"" + rule.name() + "\"");
      }
      rules.add(rule);
    }
    Node metrics = root.childOrEmpty("metrics");
    PolicyConfig dflt =
        RuleSection.policy(metrics.childOrEmpty("default"),
            new PolicyConfig(refresh.interval().multipliedBy(4), OptionalDouble.empty(),
                OptionalDouble.empty()));
    Map<String, PolicyConfig> policies = new LinkedHashMap<>();
    for (String k : metrics.keys()) {
      if (k.equals("default")) {
        continue;
      }
      if (!names.contains(k)) {
        throw new ConfigException(metrics.key(k),
            "unknown metric \"" + k + "\" (known: built-in presets and rules[].name)");
      }
      policies.put(k, RuleSection.policy(metrics.child(k).orElseThrow(), dflt));
    }
    metrics.finish();
    KubernetesConfig kubernetes = kubernetes(root.childOrEmpty("kubernetes"));
    Optional<AdapterRules> adapterRules = root.has("prometheusAdapterRules")
        ? Optional.of(adapterRules(tree.get("prometheusAdapterRules")))
        : Optional.empty();
    PredictConfig forecast = section(() -> PredictConfig.parse(tree.get("forecast")));
    Optional<DebugAccess> debugAccess = debug(root.childOrEmpty("debug"));
    List<DelegateConfig> delegates = section(() -> DelegateConfig.parse(tree.get("delegate")));
    ShardingConfig sharding = sharding(root.childOrEmpty("sharding"));
    GraphConfig graph = section(() -> GraphConfig.parse(tree.get("graph")));
    return new AdapterConfig(prometheus, refresh, kuma, dflt, policies, rules, kubernetes,
        adapterRules, forecast, debugAccess, delegates, sharding, graph);
  }

  /**
   * Runs a section parser that reports with {@code IllegalArgumentException("key: problem")} and
   * turns its failure into the loader's {@link ConfigException} (same message).
   */
  private static <T> T section(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      int colon = m.indexOf(": ");
      throw colon < 0 ? new ConfigException("", m)
          : new ConfigException(m.substring(0, colon), m.substring(colon + 2));
    }
  }

  private static Optional<DebugAccess> debug(Node n) {
    Optional<String> access = n.string("access");
    n.finish();
    return access.map(a -> section(() -> DebugAccess.parse(a, n.key("access"))));
  }

  /**
   * A prometheus-adapter file becomes {@code {prometheus: {url}, kuma: {presets: []},
   * prometheusAdapterRules: <file>}}; a meshcast file gets the URL as {@code prometheus.url}.
   */
  private static JsonNode withPrometheusUrl(JsonNode tree, Optional<String> url) {
    if (AdapterRules.looksLikeAdapterConfig(tree)) {
      if (url.isEmpty()) {
        throw new ConfigException("", "this is a prometheus-adapter configuration (rules with"
            + " seriesQuery / externalRules): give the Prometheus URL with --prometheus-url, or"
            + " put the rules under prometheusAdapterRules: in a meshcast configuration");
      }
      com.fasterxml.jackson.databind.node.ObjectNode root = YAML.createObjectNode();
      root.putObject("prometheus").put("url", url.get());
      root.putObject("kuma").putArray("presets");
      root.set("prometheusAdapterRules", tree);
      return root;
    }
    if (url.isPresent() && tree != null && tree.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode root =
          ((com.fasterxml.jackson.databind.node.ObjectNode) tree).deepCopy();
      JsonNode p = root.get("prometheus");
      (p != null && p.isObject() ? (com.fasterxml.jackson.databind.node.ObjectNode) p
          : root.putObject("prometheus")).put("url", url.get());
      return root;
    }
    return tree;
  }

  private static AdapterRules adapterRules(JsonNode n) {
    Duration relist = AdapterRules.DEFAULT_RELIST;
    JsonNode r = n == null ? null : n.get("relistInterval");
    if (r != null && !r.isNull()) {
      relist = Node.parseDuration("prometheusAdapterRules.relistInterval", r);
      if (relist.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigException("prometheusAdapterRules.relistInterval",
            "must be at least 1s, was " + Node.format(relist));
      }
    }
    return AdapterRules.parse(n, "prometheusAdapterRules", relist, Set.of("relistInterval"));
  }

  private static PrometheusConfig prometheus(Node n) {
    String rawUrl = n.requiredString("url");
    URI url;
    try {
      url = new URI(rawUrl);
    } catch (URISyntaxException e) {
      throw new ConfigException(n.key("url"), "invalid URL \"" + rawUrl + "\": " + e.getReason());
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
        || url.getHost() == null) {
      throw new ConfigException(
          n.key("url"), "invalid URL \"" + rawUrl + "\": expected http(s)://host[:port][/path]");
    }
    Method method = n.enumValue("method", Method.class, Method.AUTO);
    Duration timeout = n.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
    Optional<Path> token = n.string("bearerTokenFile").map(Path::of);
    Optional<BasicAuth> basic = n.child("basicAuth").map(b -> {
      String user = b.requiredString("username");
      Optional<String> pw = b.string("password");
      Optional<Path> pwFile = b.string("passwordFile").map(Path::of);
      if (pw.isPresent() == pwFile.isPresent()) {
        throw new ConfigException(b.key("password"),
            "exactly one of password and passwordFile is required");
      }
      b.finish();
      return new BasicAuth(user, pw, pwFile);
    });
    if (token.isPresent() && basic.isPresent()) {
      throw new ConfigException(n.key("basicAuth"),
          "bearerTokenFile and basicAuth are mutually exclusive");
    }
    Node t = n.childOrEmpty("tls");
    Tls tls = new Tls(
        t.string("caFile").map(Path::of),
        t.string("certFile").map(Path::of),
        t.string("keyFile").map(Path::of),
        t.bool("insecureSkipVerify", false));
    if (tls.certFile().isPresent() != tls.keyFile().isPresent()) {
      throw new ConfigException(t.key(tls.certFile().isPresent() ? "keyFile" : "certFile"),
          "certFile and keyFile must be given together");
    }
    t.finish();
    Map<String, String> headers = n.stringMap("headers");
    for (String h : headers.keySet()) {
      if (!h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new ConfigException(n.key("headers") + "." + h, "invalid header name");
      }
      if (h.equalsIgnoreCase("authorization") && (token.isPresent() || basic.isPresent())) {
        throw new ConfigException(n.key("headers") + "." + h,
            "conflicts with bearerTokenFile/basicAuth");
      }
    }
    long maxBytes = n.integer("maxResponseBytes", 64L << 20, 1024, 1L << 31);
    n.finish();
    return new PrometheusConfig(url, method, timeout, token, basic, tls, headers, maxBytes);
  }

  private static RefreshConfig refresh(Node n) {
    Duration interval = n.duration("interval", Duration.ofSeconds(15), Duration.ofSeconds(1));
    int points = (int) n.integer("historyPoints", 240, 1, 100_000);
    Duration window = n.duration("bootstrapWindow", Duration.ofDays(7), Duration.ZERO);
    Duration step = n.duration("bootstrapStep", Duration.ofMinutes(5), Duration.ofSeconds(1));
    if (!window.isZero() && window.dividedBy(step) > 11_000) {
      // Prometheus refuses range queries of more than 11,000 points per series.
      throw new ConfigException(n.key("bootstrapStep"),
          "too fine for bootstrapWindow " + Node.format(window) + ": " + window.dividedBy(step)
              + " points per series, Prometheus allows 11000");
    }
    double coverage = n.number("minWindowCoverage", 0.8);
    if (!(coverage > 0 && coverage <= 1)) {
      throw new ConfigException(n.key("minWindowCoverage"),
          "expected a share of the rate window in (0, 1], found " + coverage);
    }
    int samples = (int) n.integer("minWindowSamples", 3, 2, 10_000);
    double observations = n.number("minQuantileObservations", 20);
    if (!(observations >= 0) || Double.isInfinite(observations)) {
      throw new ConfigException(n.key("minQuantileObservations"),
          "expected a number of requests >= 0, found " + observations);
    }
    double served = n.number("minServedCoverage", Math.min(0.5, coverage));
    if (!(served > 0 && served <= coverage)) {
      throw new ConfigException(n.key("minServedCoverage"),
          "expected a share of the rate window in (0, minWindowCoverage = " + coverage
              + "], found " + served);
    }
    n.finish();
    return new RefreshConfig(
        interval, points, window, step, coverage, samples, observations, served);
  }

  private static KumaConfig kuma(Node n) {
    RegimeSetting regime = n.enumValue("regime", RegimeSetting.class, RegimeSetting.AUTO);
    Duration window = n.duration("rateWindow", Duration.ofMinutes(2), Duration.ofSeconds(1));
    Optional<String> mesh = n.string("mesh").filter(s -> !s.isEmpty());
    Optional<String> podLabel = label(n, "podLabel");
    Optional<String> nsLabel = label(n, "namespaceLabel");
    List<String> podLabels = n.stringList("podLabels", List.of("app"));
    for (int i = 0; i < podLabels.size(); i++) {
      if (!LABEL_NAME.matcher(podLabels.get(i)).matches()) {
        throw new ConfigException(n.key("podLabels") + "[" + i + "]",
            "invalid label name \"" + podLabels.get(i) + "\"");
      }
    }
    List<String> presets = n.stringList("presets", PRESET_NAMES);
    Set<String> set = new LinkedHashSet<>();
    for (int i = 0; i < presets.size(); i++) {
      if (!PRESET_NAMES.contains(presets.get(i))) {
        throw new ConfigException(n.key("presets") + "[" + i + "]",
            "unknown preset \"" + presets.get(i) + "\", expected one of " + PRESET_NAMES);
      }
      set.add(presets.get(i));
    }
    n.finish();
    return new KumaConfig(regime, window, mesh, podLabel, nsLabel, podLabels, set);
  }

  private static Optional<String> label(Node n, String key) {
    Optional<String> v = n.string(key).filter(s -> !s.isEmpty());
    if (v.isPresent() && !LABEL_NAME.matcher(v.get()).matches()) {
      throw new ConfigException(n.key(key), "invalid label name \"" + v.get() + "\"");
    }
    return v;
  }

  private static KubernetesConfig kubernetes(Node n) {
    KubernetesConfig.Mode mode =
        n.enumValue("mode", KubernetesConfig.Mode.class, KubernetesConfig.Mode.AUTO);
    Duration resync = n.duration("resync", Duration.ofMinutes(10), Duration.ZERO);
    n.finish();
    return new KubernetesConfig(mode, resync);
  }

  /** Kubernetes object names (RFC 1123 subdomain) and label values. */
  private static final Pattern DNS_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  private static ShardingConfig sharding(Node n) {
    ShardingConfig d = ShardingConfig.disabled();
    boolean enabled = n.bool("enabled", false);
    Optional<String> identity = n.string("identity").filter(s -> !s.isEmpty());
    if (identity.isPresent() && (identity.get().length() > 63
        || !DNS_NAME.matcher(identity.get()).matches())) {
      throw new ConfigException(n.key("identity"), "invalid replica name \"" + identity.get()
          + "\": expected a DNS label (lower case letters, digits and '-', at most 63)");
    }
    Optional<String> namespace = n.string("namespace").filter(s -> !s.isEmpty());
    if (namespace.isPresent() && (namespace.get().length() > 63
        || !DNS_NAME.matcher(namespace.get()).matches() || namespace.get().contains("."))) {
      throw new ConfigException(n.key("namespace"),
          "invalid namespace \"" + namespace.get() + "\"");
    }
    String group = n.string("group").orElse(d.group());
    if (group.isEmpty() || group.length() > 63 || !LABEL_VALUE.matcher(group).matches()) {
      throw new ConfigException(n.key("group"), "invalid label value \"" + group
          + "\": letters, digits, '-', '_' and '.', at most 63, starting and ending with a"
          + " letter or digit");
    }
    Duration lease = n.duration("leaseDuration", d.leaseDuration(), Duration.ofSeconds(1));
    if (lease.toNanos() % 1_000_000_000L != 0) {
      throw new ConfigException(n.key("leaseDuration"), "must be whole seconds (the Lease's"
          + " leaseDurationSeconds), was " + Node.format(lease));
    }
    Duration renew = n.duration("renewPeriod", lease.dividedBy(3).compareTo(d.renewPeriod()) < 0
        ? lease.dividedBy(3) : d.renewPeriod(), Duration.ofMillis(100));
    if (renew.multipliedBy(3).compareTo(lease) > 0) {
      throw new ConfigException(n.key("renewPeriod"), "must be at most a third of leaseDuration "
          + Node.format(lease) + " (a replica survives two missed renewals), was "
          + Node.format(renew));
    }
    Duration sync = n.duration("syncPeriod", d.syncPeriod(), Duration.ofMillis(100));
    n.finish();
    return new ShardingConfig(enabled, identity, namespace, group, lease, renew, sync);
  }
}
