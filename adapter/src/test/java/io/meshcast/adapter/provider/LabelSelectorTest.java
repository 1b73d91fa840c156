package io.meshcast.adapter.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.provider.LabelSelector.InvalidSelectorException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

final class LabelSelectorTest {

  private static final Map<String, String> LABELS =
      Map.of("app", "web", "tier", "front", "version", "7", "kuma.io/service", "web_default_svc_80");

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true",
        "app=web|true",
        "app==web|true",
        "app=api|false",
        "app!=api|true",
        "app!=web|false",
        "missing!=x|true",
        "app in (web,api)|true",
        "app in (api)|false",
        "app notin (api,db)|true",
        "app notin (web)|false",
        "missing notin (web)|true",
        "app|true",
        "missing|false",
        "!missing|true",
        "!app|false",
        "version>6|true",
        "version>7|false",
        "version<8|true",
        "app>1|false",
        "missing<8|false",
        "app==|false",
        "app=web,tier=front|true",
        "app=web,tier=back|false",
        "  app = web , tier in ( front , back )  |true",
        "kuma.io/service=web_default_svc_80|true",
        "app=web,!missing,version>1,tier notin (x)|true",
        "app in ()|false",
      })
  void matches_followsKubernetesSemantics(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "=web",
        "app=web,",
        ",app=web",
        "app in web",
        "app in (web",
        "app notin (a b)",
        "app>x",
        "app<",
        "!",
        "!app=web",
        "app=web=x",
        "-app=web",
        "app=-web",
        "Foo_/bar=1",
        "a/b/c=1",
        "app=(x)",
        "app in ((x))",
        "app=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "app,,tier",
        "app ! tier",
      })
  void parse_rejectsInvalidSyntax(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageContaining("unable to parse requirement");
  }

  @Test
  void toString_isCanonicalAndRoundTrips() {
    LabelSelector s = LabelSelector.parse("tier notin (b,a), app=web, !gone, v>3, x");
    assertThat(s.toString()).isEqualTo("app=web,!gone,tier notin (a,b),v>3,x");
    assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void equalityLabels_keepsOnlyEqualities() {
    assertThat(LabelSelector.parse("a=1,b==2,c in (3),d in (4,5),e!=6,f").equalityLabels())
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
  }

  @Test
  void emptyValue_isAllowed() {
    assertThat(LabelSelector.parse("app=").matches(Map.of("app", ""))).isTrue();
  }
}
