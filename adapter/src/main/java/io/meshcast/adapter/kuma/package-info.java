/**
 * Kuma golden signals: the three naming {@link io.meshcast.adapter.kuma.Regime}s and their
 * auto-detection, the PromQL of each {@link io.meshcast.adapter.kuma.GoldenSignal}, custom rules,
 * and {@link io.meshcast.adapter.kuma.KumaPipeline}, the composition root the HTTP layer wires.
 */
package io.meshcast.adapter.kuma;
