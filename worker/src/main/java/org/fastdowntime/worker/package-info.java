/**
 * The worker: the YAML config, where and how to reach Temporal ({@code TemporalSettings}, {@code
 * TemporalConnection}), Guice wiring, the runtime that registers workflows and activities, the
 * embedded service, metrics and the HTTP endpoint.
 */
package org.fastdowntime.worker;
