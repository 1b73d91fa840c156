package io.meshcast.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class RequestInfoTest {

  @Test
  void decodesPathAndQueryOnce_firstQueryValueWins() {
    RequestInfo i = RequestInfo.parse("GET", "/apis/g/v/namespaces/ns/pods/%2A/m",
        "labelSelector=app%3Dx+y&labelSelector=other");
    assertThat(i.path()).isEqualTo("/apis/g/v/namespaces/ns/pods/*/m");
    assertThat(i.segments()).containsExactly("apis", "g", "v", "namespaces", "ns", "pods", "*", "m");
    assertThat(i.query()).containsEntry("labelSelector", "app=x y");
    assertThat(i.target()).isEqualTo(
        "/apis/g/v/namespaces/ns/pods/%2A/m?labelSelector=app%3Dx+y&labelSelector=other");
    assertThat(i.ambiguity()).isEmpty();
  }

  @Test
  void undecodablePath_isKeptAsA400_forWhoeverReadsIt() {
    RequestInfo i = RequestInfo.parse("GET", "/apis/x%zz", null);
    assertThat(i.decodable()).isFalse();
    assertThatThrownBy(i::path).isInstanceOfSatisfying(StatusException.class, e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("invalid path: bad percent-escape \"%zz\"");
    });
    assertThatThrownBy(() -> RequestInfo.parse("GET", "/a", "q=%C3%28").query())
        .hasMessage("invalid query: percent-escapes are not UTF-8");
  }

  @Test
  void encodedSlashAndControlCharacters_areAmbiguousForAuthorization() {
    assertThat(RequestInfo.parse("GET", "/apis/a%2Fb", null).ambiguity()).hasValue("encoded slash");
    assertThat(RequestInfo.parse("GET", "/apis/a%5Cb", null).ambiguity()).hasValue("encoded slash");
    assertThat(RequestInfo.parse("GET", "/apis/a%00", null).ambiguity())
        .hasValue("control character");
    assertThat(RequestInfo.parse("GET", "relative", null).ambiguity()).hasValue("not absolute");
    // routing still splits at the decoded slash, as Go's URL.Path does
    assertThat(RequestInfo.parse("GET", "/apis/a%2Fb", null).segments())
        .containsExactly("apis", "a", "b");
  }

  @Test
  void fieldSelector_parsesTermsWithEscapes_andYieldsNothingForGarbage() {
    assertThat(FieldSelector.parse("metadata.name=a\\,b,spec.x!=y")).containsExactly(
        new FieldSelector.Term("metadata.name", false, "a,b"),
        new FieldSelector.Term("spec.x", true, "y"));
    assertThat(FieldSelector.parse("no-operator")).isEmpty();
  }
}
