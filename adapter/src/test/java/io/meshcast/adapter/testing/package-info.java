/**
 * Reusable test harness: a real Prometheus and a synthetic Kuma fleet.
 *
 * <pre>{@code
 * SyntheticKumaExporter mesh = SyntheticKumaExporter.start(Regime.MESHMETRIC,
 *     List.of(new ServiceSpec("kuma-demo", "backend", 3001, 8080, 3)), Clock.systemUTC());
 * mesh.setTraffic("kuma-demo", "backend", new Traffic(20, 0.05, 25, 100, 4)); // per pod
 * try (PrometheusServer prom = PrometheusServer.start(
 *     List.of(new ScrapeJob("kuma-dataplanes", mesh.scrapeTargets())), Duration.ofSeconds(1))) {
 *   prom.awaitSeries("envoy_http_downstream_rq_total", 3, Duration.ofSeconds(30));
 *   // point the adapter at prom.url(); compare with mesh.rps(...), mesh.errorRatio(...),
 *   // mesh.latencyQuantile(..., 0.99), mesh.inflight(...)
 *   mesh.addPod(spec);                                            // scale up (or removePod)
 *   prom.updateTargets(List.of(new ScrapeJob("kuma-dataplanes", mesh.scrapeTargets())));
 * }
 * }</pre>
 *
 * {@link io.meshcast.adapter.testing.PrometheusServer} needs {@code /usr/bin/prometheus} (Debian
 * package; {@code scripts/test.sh} installs it) and installs nothing itself. Everything binds to
 * 127.0.0.1 on free ports; temp directories are removed on close. {@link
 * io.meshcast.adapter.testing.HttpsTestClient} talks to an {@code ApiServer} trusting exactly its
 * certificate, and {@link io.meshcast.adapter.testing.MutableClock} drives time by hand.
 */
package io.meshcast.adapter.testing;
