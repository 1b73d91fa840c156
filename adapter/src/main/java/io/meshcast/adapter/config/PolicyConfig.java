package io.meshcast.adapter.config;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * What to do when a metric's data is missing, undefined or old. Each decision is logged and
 * counted ({@code meshcast_policy_decisions_total}).
 *
 * @param maxAge a value older than this (since its last successful refresh) is refused with 503
 * @param onEmpty value served when the object has no series; empty means "answer with an error"
 * @param onNaN value served when the series is NaN (e.g. a ratio with no traffic); empty means
 *     "answer with an error"
 */
public record PolicyConfig(Duration maxAge, OptionalDouble onEmpty, OptionalDouble onNaN) {}
