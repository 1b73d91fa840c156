package io.meshcast.adapter.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.APIService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CI check for {@code manifests/}: renders every variant with the real {@code kubectl kustomize},
 * parses every object with fabric8's typed model (any field the model does not know is an error),
 * and asserts the install invariants of issue 6.
 */
final class ManifestsTest {

  private static final String NS = "meshcast";
  private static final String SA = "meshcast";

  /**
   * Every Kubernetes API call the adapter makes, as (namespace or "" for cluster-wide, group,
   * resource, resourceName or "", verbs). Keep in sync with the code: auth (ConfigMap watch,
   * TokenReview, SubjectAccessReview) and k8s informers (pods, services, namespaces, deployments,
   * replicasets).
   */
  record ApiCall(String namespace, String group, String resource, String name, Set<String> verbs) {}

  static final List<ApiCall> CODE_API_CALLS =
      List.of(
          new ApiCall("kube-system", "", "configmaps", "extension-apiserver-authentication",
              Set.of("get", "list", "watch")),
          new ApiCall("", "authentication.k8s.io", "tokenreviews", "", Set.of("create")),
          new ApiCall("", "authorization.k8s.io", "subjectaccessreviews", "", Set.of("create")),
          new ApiCall("", "", "pods", "", Set.of("get", "list", "watch")),
          new ApiCall("", "", "services", "", Set.of("get", "list", "watch")),
          new ApiCall("", "", "namespaces", "", Set.of("get", "list", "watch")),
          new ApiCall("", "apps", "deployments", "", Set.of("get", "list", "watch")),
          new ApiCall("", "apps", "replicasets", "", Set.of("get", "list", "watch")),
          // sharding: shard.LeaseMembership and shard.FitStore, in the adapter's namespace
          new ApiCall(NS, "coordination.k8s.io", "leases", "",
              Set.of("get", "list", "watch", "create", "update", "delete")),
          new ApiCall(NS, "", "configmaps", "",
              Set.of("get", "list", "create", "update", "delete", "deletecollection")));

  /** Built-in roles we bind to (k8s bootstrappolicy), as they are defined in every cluster. */
  static final Map<String, List<PolicyRule>> BUILT_IN_CLUSTER_ROLES =
      Map.of(
          "system:auth-delegator",
          List.of(
              rule("authentication.k8s.io", "tokenreviews", null, "create"),
              rule("authorization.k8s.io", "subjectaccessreviews", null, "create")));

  static final Map<String, List<PolicyRule>> BUILT_IN_KUBE_SYSTEM_ROLES =
      Map.of(
          "extension-apiserver-authentication-reader",
          List.of(rule("", "configmaps", "extension-apiserver-authentication", "get", "list",
              "watch")));

  static final Set<String> METRIC_NAMES =
      Set.of("kuma_rps", "kuma_rps_forecast", "kuma_latency_p99_ms_forecast",
          "kuma_saturation_forecast", "kuma_rps_anomaly_score");

  static List<HasMetadata> base;
  static List<HasMetadata> certManager;
  static List<HasMetadata> examples;
  static List<HasMetadata> monitoring;

  @BeforeAll
  static void render() throws Exception {
    Path manifests = repoRoot().resolve("manifests");
    base = parse(kustomize(manifests));
    certManager = parse(kustomize(manifests.resolve("cert-manager")));
    examples = parse(kustomize(manifests.resolve("examples")));
    monitoring = parse(kustomize(manifests.resolve("monitoring")));
  }

  @Test
  void everyObject_isKnownToTheTypedModel_withoutUnknownFields() {
    for (List<HasMetadata> variant : List.of(base, certManager, examples, monitoring)) {
      for (HasMetadata o : variant) {
        if (o instanceof GenericKubernetesResource g) {
          // CRDs without a model in fabric8's client: cert-manager, prometheus-operator, Kuma.
          assertThat(g.getApiVersion())
              .as("only CRD objects may lack a typed model: %s", g.getKind())
              .isIn("cert-manager.io/v1", "monitoring.coreos.com/v1", "kuma.io/v1alpha1");
          continue;
        }
        List<String> unknown = new ArrayList<>();
        findUnknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown,
            new IdentityHashMap<>());
        assertThat(unknown).as("unknown fields").isEmpty();
      }
    }
  }

  @Test
  void apiServices_areNamedVersionGroup_prioritised_andPointAtTheService() {
    for (List<HasMetadata> variant : List.of(base, certManager)) {
      List<APIService> apis = all(variant, APIService.class);
      assertThat(apis).extracting(a -> a.getMetadata().getName())
          .containsExactlyInAnyOrder("v1beta2.custom.metrics.k8s.io",
              "v1beta1.custom.metrics.k8s.io", "v1beta1.external.metrics.k8s.io");
      Service svc = one(variant, Service.class);
      for (APIService a : apis) {
        assertThat(a.getMetadata().getName())
            .isEqualTo(a.getSpec().getVersion() + "." + a.getSpec().getGroup());
        assertThat(a.getSpec().getService().getName()).isEqualTo(svc.getMetadata().getName());
        assertThat(a.getSpec().getService().getNamespace())
            .isEqualTo(svc.getMetadata().getNamespace());
        int port = a.getSpec().getService().getPort() == null ? 443
            : a.getSpec().getService().getPort();
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getPort).contains(port);
        assertThat(a.getSpec().getGroupPriorityMinimum()).isBetween(1, 20000);
        assertThat(a.getSpec().getVersionPriority()).isBetween(1, 1000);
        assertThat(Boolean.TRUE.equals(a.getSpec().getInsecureSkipTLSVerify())
                && a.getSpec().getCaBundle() != null)
            .as("caBundle XOR insecureSkipTLSVerify").isFalse();
      }
      assertThat(byName(apis, "v1beta2.custom.metrics.k8s.io").getSpec().getVersionPriority())
          .isEqualTo(200);
      assertThat(byName(apis, "v1beta1.custom.metrics.k8s.io").getSpec().getVersionPriority())
          .isEqualTo(100);
    }
  }

  @Test
  void defaultVariant_skipsTlsVerify_certManagerVariant_injectsCaForTheServiceName() {
    for (APIService a : all(base, APIService.class)) {
      assertThat(a.getSpec().getInsecureSkipTLSVerify()).isTrue();
    }
    Service svc = one(certManager, Service.class);
    String dns = svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc";
    for (APIService a : all(certManager, APIService.class)) {
      assertThat(a.getSpec().getInsecureSkipTLSVerify()).isNull();
      String from = a.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from");
      assertThat(from).isEqualTo(NS + "/meshcast-serving");
    }
    GenericKubernetesResource cert =
        all(certManager, GenericKubernetesResource.class).stream()
            .filter(g -> g.getKind().equals("Certificate")
                && g.getMetadata().getName().equals("meshcast-serving"))
            .findFirst().orElseThrow();
    Map<String, Object> spec = (Map<String, Object>) cert.getAdditionalProperties().get("spec");
    assertThat((List<String>) spec.get("dnsNames")).contains(dns);
    String secret = (String) spec.get("secretName");
    Deployment d = one(certManager, Deployment.class);
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
            .isEqualTo(secret));
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--tls-cert-file=/var/run/meshcast/serving/tls.crt");
  }

  @Test
  void service_https443_targetsTheContainerPort6443_andProbesUseIt() {
    for (List<HasMetadata> variant : List.of(base, certManager)) {
      Service svc = one(variant, Service.class);
      Deployment d = one(variant, Deployment.class);
      ServicePort sp = svc.getSpec().getPorts().get(0);
      assertThat(svc.getSpec().getPorts()).hasSize(1);
      assertThat(sp.getName()).isEqualTo("https");
      assertThat(sp.getPort()).isEqualTo(443);
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      ContainerPort cp = c.getPorts().stream()
          .filter(p -> p.getName().equals("https")).findFirst().orElseThrow();
      assertThat(cp.getContainerPort()).isEqualTo(6443);
      Object target = sp.getTargetPort().getStrVal() != null
          ? sp.getTargetPort().getStrVal() : sp.getTargetPort().getIntVal();
      assertThat(target).isIn("https", 6443);
      assertThat(svc.getSpec().getSelector().entrySet())
          .isSubsetOf(d.getSpec().getTemplate().getMetadata().getLabels().entrySet());
      assertProbe(c.getLivenessProbe(), "/livez");
      assertProbe(c.getReadinessProbe(), "/readyz");
      assertThat(c.getArgs()).contains("--secure-port=6443");
    }
  }

  private static void assertProbe(Probe p, String path) {
    assertThat(p).isNotNull();
    assertThat(p.getHttpGet().getPath()).isEqualTo(path);
    assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTPS");
    Object port = p.getHttpGet().getPort().getStrVal() != null
        ? p.getHttpGet().getPort().getStrVal() : p.getHttpGet().getPort().getIntVal();
    assertThat(port).isIn("https", 6443);
  }

  @Test
  void deployment_isHardenedAndHighlyAvailable() {
    Deployment d = one(base, Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getServiceAccountName()).isEqualTo(SA);
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    PodDisruptionBudget pdb = one(base, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getSelector().getMatchLabels().entrySet())
        .isSubsetOf(d.getSpec().getTemplate().getMetadata().getLabels().entrySet());
    assertThat(d.getSpec().getSelector().getMatchLabels().entrySet())
        .isSubsetOf(d.getSpec().getTemplate().getMetadata().getLabels().entrySet());
    assertThat(all(base, io.fabric8.kubernetes.api.model.ConfigMap.class))
        .anySatisfy(cm -> assertThat(cm.getData()).containsKey("config.yaml"));
  }

  @Test
  void deployment_givesEachReplicaItsPodNameAndNamespace_forShardLeases() {
    Container c = one(base, Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    Map<String, String> fields = c.getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
        .collect(Collectors.toMap(e -> e.getName(),
            e -> e.getValueFrom().getFieldRef().getFieldPath()));
    assertThat(fields).containsEntry("POD_NAME", "metadata.name")
        .containsEntry("POD_NAMESPACE", "metadata.namespace");
  }

  @Test
  void rbac_grantsEveryApiCallTheCodeMakes() {
    for (ApiCall call : CODE_API_CALLS) {
      for (String verb : call.verbs()) {
        assertThat(granted(base, call, verb))
            .as("RBAC for %s %s/%s %s in '%s'", verb, call.group(), call.resource(), call.name(),
                call.namespace())
            .isTrue();
      }
    }
  }

  @Test
  void rbac_letsTheHpaControllerReadBothMetricsGroups() {
    for (String group : List.of("custom.metrics.k8s.io", "external.metrics.k8s.io")) {
      boolean ok = all(base, ClusterRoleBinding.class).stream()
          .filter(b -> b.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
              && "horizontal-pod-autoscaler".equals(s.getName())
              && "kube-system".equals(s.getNamespace())))
          .flatMap(b -> clusterRoleRules(base, b.getRoleRef()).stream())
          .anyMatch(r -> covers(r, group, "pods", "", "get") && covers(r, group, "x", "", "list"));
      assertThat(ok).as("HPA controller can get/list %s", group).isTrue();
    }
  }

  @Test
  void exampleHpas_useTheDocumentedMetrics_andAllThreeSourceTypes() {
    List<HorizontalPodAutoscaler> hpas = all(examples, HorizontalPodAutoscaler.class);
    assertThat(hpas).isNotEmpty();
    Set<String> types = hpas.stream().flatMap(h -> h.getSpec().getMetrics().stream())
        .map(MetricSpec::getType).collect(Collectors.toSet());
    assertThat(types).contains("Object", "Pods", "External");
    Set<String> kinds = hpas.stream().flatMap(h -> h.getSpec().getMetrics().stream())
        .filter(m -> m.getObject() != null)
        .map(m -> m.getObject().getDescribedObject().getKind()).collect(Collectors.toSet());
    assertThat(kinds).contains("Service", "Deployment");
    for (HorizontalPodAutoscaler h : hpas) {
      for (MetricSpec m : h.getSpec().getMetrics()) {
        String name = switch (m.getType()) {
          case "Object" -> m.getObject().getMetric().getName();
          case "Pods" -> m.getPods().getMetric().getName();
          case "External" -> m.getExternal().getMetric().getName();
          default -> fail("unexpected metric type " + m.getType());
        };
        assertThat(METRIC_NAMES).contains(name);
        if (m.getType().equals("External")) {
          assertThat(name).as("external names are lowercased by client-go").isLowerCase();
        }
      }
    }
  }

  // ---- RBAC evaluation (subset of the RBAC authorizer sufficient for our rules) ----

  private static boolean granted(List<HasMetadata> objs, ApiCall call, String verb) {
    for (ClusterRoleBinding b : all(objs, ClusterRoleBinding.class)) {
      if (boundToAdapter(b.getSubjects())) {
        for (PolicyRule r : clusterRoleRules(objs, b.getRoleRef())) {
          if (covers(r, call.group(), call.resource(), call.name(), verb)) {
            return true;
          }
        }
      }
    }
    for (RoleBinding b : all(objs, RoleBinding.class)) {
      if (!boundToAdapter(b.getSubjects())
          || !b.getMetadata().getNamespace().equals(call.namespace())) {
        continue;
      }
      List<PolicyRule> rules = b.getRoleRef().getKind().equals("ClusterRole")
          ? clusterRoleRules(objs, b.getRoleRef())
          : roleRules(objs, b.getMetadata().getNamespace(), b.getRoleRef().getName());
      for (PolicyRule r : rules) {
        if (covers(r, call.group(), call.resource(), call.name(), verb)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean boundToAdapter(List<Subject> subjects) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && SA.equals(s.getName()) && NS.equals(s.getNamespace()));
  }

  private static List<PolicyRule> clusterRoleRules(List<HasMetadata> objs, RoleRef ref) {
    if (BUILT_IN_CLUSTER_ROLES.containsKey(ref.getName())) {
      return BUILT_IN_CLUSTER_ROLES.get(ref.getName());
    }
    return all(objs, ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName()))
        .findFirst().map(ClusterRole::getRules)
        .orElseThrow(() -> new AssertionError("ClusterRole " + ref.getName() + " is not defined"));
  }

  private static List<PolicyRule> roleRules(List<HasMetadata> objs, String ns, String name) {
    if (ns.equals("kube-system") && BUILT_IN_KUBE_SYSTEM_ROLES.containsKey(name)) {
      return BUILT_IN_KUBE_SYSTEM_ROLES.get(name);
    }
    return all(objs, Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name)
            && r.getMetadata().getNamespace().equals(ns))
        .findFirst().map(Role::getRules)
        .orElseThrow(() -> new AssertionError("Role " + ns + "/" + name + " is not defined"));
  }

  private static boolean covers(PolicyRule r, String group, String resource, String name,
      String verb) {
    return matches(r.getApiGroups(), group) && matches(r.getResources(), resource)
        && matches(r.getVerbs(), verb)
        && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
            || r.getResourceNames().contains(name));
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  private static PolicyRule rule(String group, String resource, String name, String... verbs) {
    PolicyRule r = new PolicyRule();
    r.setApiGroups(List.of(group));
    r.setResources(List.of(resource));
    r.setResourceNames(name == null ? List.of() : List.of(name));
    r.setVerbs(List.of(verbs));
    return r;
  }

  // ---- rendering and strict parsing ----

  @Test
  void monitoring_dashboardsAreLabelledForTheGrafanaSidecar_andServiceMonitorScrapesHttps()
      throws Exception {
    List<io.fabric8.kubernetes.api.model.ConfigMap> dashboards =
        all(monitoring, io.fabric8.kubernetes.api.model.ConfigMap.class);
    assertThat(dashboards).hasSize(2);
    for (io.fabric8.kubernetes.api.model.ConfigMap cm : dashboards) {
      assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      for (String json : cm.getData().values()) {
        com.fasterxml.jackson.databind.JsonNode d =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(d.get("panels")).isNotEmpty();
        assertThat(d.get("uid").asText()).startsWith("meshcast-");
      }
    }
    GenericKubernetesResource sm = all(monitoring, GenericKubernetesResource.class).stream()
        .filter(g -> g.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    io.fabric8.kubernetes.api.model.Service svc =
        all(base, io.fabric8.kubernetes.api.model.Service.class).get(0);
    assertThat(endpoint.get("port")).isEqualTo(svc.getSpec().getPorts().get(0).getName());
    assertThat(endpoint).containsEntry("scheme", "https").containsEntry("path", "/metrics");
    assertThat(all(monitoring, GenericKubernetesResource.class).stream()
        .map(GenericKubernetesResource::getKind)).contains("MeshMetric");
  }

  static String kustomize(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/kubectl", "kustomize", dir.toString())
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      out = buf.toString(StandardCharsets.UTF_8);
    }
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl kustomize " + dir + " timed out");
    }
    assertThat(p.exitValue()).as("kubectl kustomize %s failed:%n%s", dir, out).isZero();
    return out;
  }

  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      Object o = Serialization.unmarshal(doc);
      assertThat(o).as("document is a Kubernetes object:%n%s", doc).isInstanceOf(HasMetadata.class);
      out.add((HasMetadata) o);
    }
    return out;
  }

  /** Walks the typed object graph; any non-empty additionalProperties is an unknown field. */
  static void findUnknownFields(Object o, String path, List<String> unknown,
      IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        findUnknownFields(e, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> findUnknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object v;
      try {
        v = getter.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
        continue;
      }
      findUnknownFields(v, path + "." + getter.getName().substring(3), unknown, seen);
    }
  }

  private static <T> List<T> all(List<HasMetadata> objs, Class<T> type) {
    return objs.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T> T one(List<HasMetadata> objs, Class<T> type) {
    List<T> found = all(objs, type);
    assertThat(found).as("exactly one %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static APIService byName(List<APIService> apis, String name) {
    return apis.stream().filter(a -> a.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow();
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("manifests"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("manifests/ not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
