package org.fastdowntime.model;

/** The monthly process's signal payloads; every one names who sends it ({@code by}). */
public final class MonthlySignals {
  private MonthlySignals() {}

  /** {@code confirmWindow {party, by}} and {@code proposeWindow {party, by, main, backup}}. */
  public record Window(String party, String by, String main, String backup) {}

  /** {@code qaOk {revision, by}} and {@code ciBlessed {revision, by}}. */
  public record Revision(String revision, String by, String note) {}

  /** {@code approveLanding {commit, by}}. */
  public record Landing(String commit, String by) {}

  /** {@code qastagingOk {by}}. */
  public record By(String by, String note) {}

  /** {@code cowboy {name, by, state}}: state {@code outstanding}, {@code landed} or {@code reapply}. */
  public record Cowboy(String name, String by, String state) {}

  /** {@code reportIssue {summary, by}}. */
  public record Issue(String summary, String by) {}
}
