/**
 * The adapter's YAML configuration: immutable records ({@link
 * io.meshcast.adapter.config.AdapterConfig} and its sections), {@link
 * io.meshcast.adapter.config.ConfigLoader} (parse + validate, errors name key and value) and
 * {@link io.meshcast.adapter.config.ConfigWatcher} (re-read on change; a bad file keeps the old
 * config). Every option is documented in {@code docs/configuration.md}.
 */
package io.meshcast.adapter.config;
