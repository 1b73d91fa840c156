/**
 * {@code serve --demo}: the NASA-HTTP July 1995 trace (public domain, bundled gzipped) replayed
 * time-compressed as the traffic of a small Kuma mesh, through the real pipeline, predictive layer
 * and debug page, without a cluster or Prometheus. Entry point {@link
 * io.meshcast.adapter.demo.DemoMesh#start}.
 */
package io.meshcast.adapter.demo;
