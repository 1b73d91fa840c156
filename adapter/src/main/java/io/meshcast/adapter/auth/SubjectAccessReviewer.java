package io.meshcast.adapter.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.authorization.v1.FieldSelectorAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.LabelSelectorAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpec;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshcast.adapter.http.FieldSelector;
import io.meshcast.adapter.provider.LabelSelector;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Asks the API server with an {@code authorization.k8s.io/v1} SubjectAccessReview, building the
 * spec exactly as apiserver's webhook authorizer does (webhook.go: resourceAttributesFrom,
 * label/field selector conversion) and caching allowed and denied answers for 10 s keyed by the
 * full spec (its JSON). Failed calls are not cached. Blocking calls run on {@code worker}.
 */
final class SubjectAccessReviewer {

  private final KubernetesClient client;
  private final WorkerExecutor worker;
  private final Cache<String, Authorizer.Decision> cache;
  private final Duration callTimeout;

  SubjectAccessReviewer(
      KubernetesClient client, WorkerExecutor worker, Ticker ticker, Duration ttl,
      Duration callTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.callTimeout = callTimeout;
    this.cache =
        Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(10_000).build();
  }

  Future<Authorizer.Decision> review(UserInfo user, RequestAttributes attributes) {
    SubjectAccessReviewSpec spec = spec(user, attributes);
    String key = Serialization.asJson(spec);
    Authorizer.Decision cached = cache.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return worker
        .executeBlocking(() -> call(spec), /* ordered= */ false)
        .timeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .andThen(ar -> {
          if (ar.succeeded()) {
            cache.put(key, ar.result());
          }
        });
  }

  private Authorizer.Decision call(SubjectAccessReviewSpec spec) {
    SubjectAccessReview review = new SubjectAccessReview();
    review.setSpec(spec);
    SubjectAccessReview answer =
        client.authorization().v1().subjectAccessReview().create(review);
    SubjectAccessReviewStatus status = answer == null ? null : answer.getStatus();
    if (status == null) {
      throw new IllegalStateException("SubjectAccessReview returned no status");
    }
    boolean allowed = Boolean.TRUE.equals(status.getAllowed());
    boolean denied = Boolean.TRUE.equals(status.getDenied());
    if (allowed && denied) {
      throw new IllegalStateException(
          "SubjectAccessReview returned both allow and deny response");
    }
    // Neither allowed nor denied is "no opinion": with no further authorizer, a 403.
    return new Authorizer.Decision(allowed, status.getReason());
  }

  /** The SAR spec apiserver's webhook authorizer would send for this request. */
  static SubjectAccessReviewSpec spec(UserInfo user, RequestAttributes a) {
    SubjectAccessReviewSpec spec = new SubjectAccessReviewSpec();
    spec.setUser(user.name());
    spec.setUid(user.uid().isEmpty() ? null : user.uid());
    spec.setGroups(new ArrayList<>(user.groups()));
    if (!user.extra().isEmpty()) {
      LinkedHashMap<String, List<String>> extra = new LinkedHashMap<>();
      user.extra().forEach((k, v) -> extra.put(k, new ArrayList<>(v)));
      spec.setExtra(extra);
    }
    if (a.resourceRequest()) {
      ResourceAttributes ra = new ResourceAttributes();
      ra.setNamespace(emptyToNull(a.namespace()));
      ra.setVerb(emptyToNull(a.verb()));
      ra.setGroup(emptyToNull(a.apiGroup()));
      ra.setVersion(emptyToNull(a.apiVersion()));
      ra.setResource(emptyToNull(a.resource()));
      ra.setSubresource(emptyToNull(a.subresource()));
      ra.setName(emptyToNull(a.name()));
      List<LabelSelectorRequirement> labels = labelRequirements(a.labelSelector());
      if (!labels.isEmpty()) {
        LabelSelectorAttributes lsa = new LabelSelectorAttributes();
        lsa.setRequirements(labels);
        ra.setLabelSelector(lsa);
      }
      List<io.fabric8.kubernetes.api.model.FieldSelectorRequirement> fields =
          fieldRequirements(a.fieldSelector());
      if (!fields.isEmpty()) {
        FieldSelectorAttributes fsa = new FieldSelectorAttributes();
        fsa.setRequirements(fields);
        ra.setFieldSelector(fsa);
      }
      spec.setResourceAttributes(ra);
    } else {
      NonResourceAttributes nra = new NonResourceAttributes();
      nra.setPath(a.path());
      nra.setVerb(a.verb());
      spec.setNonResourceAttributes(nra);
    }
    return spec;
  }

  /**
   * webhook.go labelSelectorToAuthorizationAPI: {@code = == in} become In, {@code != notin}
   * NotIn, exists Exists, {@code !k} DoesNotExist, {@code > <} are dropped; values as a sorted
   * set; an unparseable selector contributes nothing.
   */
  static List<LabelSelectorRequirement> labelRequirements(String selector) {
    List<LabelSelectorRequirement> out = new ArrayList<>();
    if (selector.isEmpty()) {
      return out;
    }
    LabelSelector parsed;
    try {
      parsed = LabelSelector.parse(selector);
    } catch (IllegalArgumentException e) {
      return out;
    }
    for (LabelSelector.Requirement r : parsed.requirements()) {
      String op =
          switch (r.operator()) {
            case EQUALS, DOUBLE_EQUALS, IN -> "In";
            case NOT_EQUALS, NOT_IN -> "NotIn";
            case EXISTS -> "Exists";
            case DOES_NOT_EXIST -> "DoesNotExist";
            case GREATER_THAN, LESS_THAN -> null;
          };
      if (op == null) {
        continue;
      }
      LabelSelectorRequirement req = new LabelSelectorRequirement();
      req.setKey(r.key());
      req.setOperator(op);
      req.setValues(new ArrayList<>(new TreeSet<>(r.values())));
      out.add(req);
    }
    return out;
  }

  /** webhook.go fieldSelectorToAuthorizationAPI: {@code = ==} In, {@code !=} NotIn. */
  static List<io.fabric8.kubernetes.api.model.FieldSelectorRequirement> fieldRequirements(
      String selector) {
    List<io.fabric8.kubernetes.api.model.FieldSelectorRequirement> out = new ArrayList<>();
    for (FieldSelector.Term t : FieldSelector.parse(selector)) {
      io.fabric8.kubernetes.api.model.FieldSelectorRequirement req =
          new io.fabric8.kubernetes.api.model.FieldSelectorRequirement();
      req.setKey(t.key());
      req.setOperator(t.notEquals() ? "NotIn" : "In");
      req.setValues(new ArrayList<>(List.of(t.value())));
      out.add(req);
    }
    return out;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
