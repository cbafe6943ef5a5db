/**
 * The worker's one YAML file, read as a package of roles: its shape ({@link RawConfig}, durations read as
 * {@code Duration} by {@link ConfigYaml}), one reader per section (temporal, environments with their budgets,
 * announcements, monthly), secrets resolved in one place ({@link Secrets}), and every problem typed as a key and
 * a message ({@link Problems}), all reported at once ({@link WorkerConfig.Invalid}).
 */
package org.fastdowntime.worker.config;
