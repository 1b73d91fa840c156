/** Forecasting and anomaly scoring for regular-interval golden-signal series. */
package io.meshcast.forecast;
