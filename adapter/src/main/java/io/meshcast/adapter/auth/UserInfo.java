package io.meshcast.adapter.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An authenticated (or anonymous) caller, as Kubernetes' {@code user.Info}: name, uid, groups in
 * order, and extra attributes (keys lower-case, values in order). Immutable; {@code uid} is empty
 * when unknown, never null.
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

  /** The group every non-anonymous user gets (apiserver's AuthenticatedGroupAdder). */
  public static final String AUTHENTICATED_GROUP = "system:authenticated";
  /** Members bypass authorization (apiserver's AlwaysAllowGroups). */
  public static final String MASTERS_GROUP = "system:masters";

  static final String ANONYMOUS_NAME = "system:anonymous";
  static final String UNAUTHENTICATED_GROUP = "system:unauthenticated";

  private static final UserInfo ANONYMOUS =
      new UserInfo(ANONYMOUS_NAME, "", List.of(UNAUTHENTICATED_GROUP), Map.of());

  public UserInfo {
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    groups = List.copyOf(groups);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    extra.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    extra = java.util.Collections.unmodifiableMap(copy);
  }

  /** The user of requests that carry no credentials at all. */
  public static UserInfo anonymous() {
    return ANONYMOUS;
  }

  public boolean isAnonymous() {
    return this == ANONYMOUS || ANONYMOUS_NAME.equals(name);
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  /**
   * This user with {@value #AUTHENTICATED_GROUP} appended, unless anonymous or already in it or
   * in {@code system:unauthenticated} (apiserver's AuthenticatedGroupAdder).
   */
  UserInfo withAuthenticatedGroup() {
    if (isAnonymous() || groups.contains(AUTHENTICATED_GROUP)
        || groups.contains(UNAUTHENTICATED_GROUP)) {
      return this;
    }
    List<String> g = new ArrayList<>(groups);
    g.add(AUTHENTICATED_GROUP);
    return new UserInfo(name, uid, g, extra);
  }
}
