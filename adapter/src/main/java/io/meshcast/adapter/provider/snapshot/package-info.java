/**
 * Custom and external metrics providers answering from the latest pipeline snapshot: lookups,
 * policies and formatting, no I/O.
 */
package io.meshcast.adapter.provider.snapshot;
