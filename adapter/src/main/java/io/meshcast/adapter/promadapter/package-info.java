/**
 * prometheus-adapter's rule language ({@code rules}, {@code externalRules}) on meshcast's
 * pipeline: rules are parsed and validated at load ({@link io.meshcast.adapter.config.AdapterRules}), their series are
 * discovered in the background ({@link RuleDiscovery}), and each discovered metric becomes one
 * {@link io.meshcast.adapter.pipeline.MetricDefinition} evaluated once per refresh for every object
 * at once ({@link RuleQueries}), never per request.
 */
package io.meshcast.adapter.promadapter;
