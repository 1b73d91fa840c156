/**
 * The read-only {@code /debug} pages: JSON of every modelled series, one series' history and
 * forecast, the HPA replica arithmetic ({@link io.meshcast.adapter.hpa.HpaCalculator}) and an
 * HTML page with hand-drawn SVG charts (assets in {@code src/main/resources/debug/}). Access per
 * {@link io.meshcast.adapter.config.DebugAccess}.
 */
package io.meshcast.adapter.debug;

import io.meshcast.adapter.config.DebugAccess;
