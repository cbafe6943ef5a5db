package org.fastdowntime.monthly;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.LivePatches;
import org.fastdowntime.downtime.OutageCore;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.Authors;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStage;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.model.RevisionStatus;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

public class MonthlyDowntimeWorkflowImpl implements MonthlyDowntimeWorkflow {
  private static final Logger log = Workflow.getLogger(MonthlyDowntimeWorkflowImpl.class);
  private static final int MAX_ATTEMPTS = 3;

  private final MonthlyActivities monthly = ActivityStubs.monthly();
  private final DatabaseActivities db = ActivityStubs.database();
  private final DatabaseActivities longDb = ActivityStubs.longDatabase();
  private final WindowActivities window = ActivityStubs.window();

  private final Journal<MonthlyStage> journal = new Journal<>(MonthlyStage.STARTING, log);
  private final String environment;
  private final String workflowId;
  private MonthlyPolicy policy;
  private Instant main;
  private Instant backup;
  private boolean backupUsed;
  private List<String> parties = List.of();
  private final Map<String, String> confirmations = new LinkedHashMap<>();
  private boolean windowsChanged;
  private final Map<String, String> qaOks = new LinkedHashMap<>();
  private final java.util.Set<String> selfApproved = new java.util.HashSet<>();
  private final List<RevisionStatus> revisions = new ArrayList<>();
  private String mergedRevision;
  private String mergeCommit;
  private MonthlyStatus.Budget budget;
  private boolean rcMode;
  private String ciBlessedBy;
  private String qastagingOkBy;
  private final Map<String, String> cowboys = new LinkedHashMap<>();
  private final List<String> incidents = new ArrayList<>();
  private final List<SignalRecord> signals = new ArrayList<>();
  private final List<Runnable> inbox = new ArrayList<>();
  private final List<String> landingQueue = new ArrayList<>();
  private final List<Announcement> announceQueue = new ArrayList<>();
  private boolean finished;
  private AbortSignal abort;
  private OutageReport outage;
  private String failureType;
  private String message;

  @WorkflowInit
  public MonthlyDowntimeWorkflowImpl(MonthlyDowntimeRequest request) {
    this.environment = request == null ? null : request.environment();
    this.workflowId = Workflow.getInfo().getWorkflowId();
  }

  @Override
  public MonthlyResult run(MonthlyDowntimeRequest request) {
    Promise<Void> background = Async.procedure(this::background);
    WindowMetrics metrics = new WindowMetrics(environment, MonthlyDowntimeWorkflow.TYPE);
    try {
      MonthlyResult r = process(request);
      metrics.window(
          r.outcome() == Outcome.COMPLETED
              ? "done"
              : r.outcome().name().toLowerCase(java.util.Locale.ROOT));
      return r;
    } catch (ApplicationFailure e) {
      metrics.window(FailureType.ABORTED.name().equals(e.getType()) ? "aborted" : "failed");
      throw e;
    } finally {
      finished = true;
      Workflow.newDetachedCancellationScope(() -> background.get()).run();
    }
  }

  private MonthlyResult process(MonthlyDowntimeRequest request) {
    if (request == null || environment == null || environment.isBlank()) {
      throw fail(FailureType.BAD_INPUT, "the input needs an \"environment\"");
    }
    main = instant("main", request.main());
    backup = instant("backup", request.backup());
    try {
      policy = monthly.loadMonthlyPolicy(environment);
    } catch (RuntimeException e) {
      WindowFailures.Reason r = WindowFailures.of(e);
      throw fail(r.type(), r.message());
    }
    parties =
        request.parties().isEmpty() ? List.copyOf(policy.parties().keySet()) : request.parties();
    for (String p : parties) {
      if (!policy.parties().containsKey(p)) {
        throw fail(
            FailureType.BAD_INPUT,
            "unknown party '" + p + "'; configured: " + policy.parties().keySet());
      }
    }
    String problem = windowProblem(main, backup);
    if (problem != null) {
      throw fail(FailureType.BAD_INPUT, problem);
    }
    request.cowboys().forEach(c -> cowboys.put(c, "outstanding"));
    upsertWindow();
    journal.event(
        MonthlyStage.STARTING,
        "Monthly downtime of " + environment + ": main " + main + ", backup " + backup + ".");
    journal.stage(MonthlyStage.CONFIRMING);
    inbox.forEach(Runnable::run);
    inbox.clear();

    confirmWindows();
    announce(
        "announced",
        "Monthly downtime of "
            + environment
            + " on "
            + main
            + " ("
            + minutes(policy.windowLength())
            + " min, read-only), backup window "
            + backup
            + ". Some services may pause up to "
            + minutes(policy.servicesPauseLead())
            + " min before.");

    journal.stage(MonthlyStage.WAITING_FOR_MERGE);
    awaitOrAbort(main.minus(policy.mergeLead()));
    if (!merge(request.dbStable())) {
      journal.stage(MonthlyStage.DONE);
      message = "Nothing QA-ok to merge from db-stable: no downtime needed.";
      announce(
          "cancelled",
          "Monthly downtime of " + environment + " on " + main + " is not needed: " + message);
      return new MonthlyResult(Outcome.NOTHING_TO_MERGE, message, null, List.of(), 0, 0);
    }
    awaitCi();
    upgradeQastaging();
    monthly.leaveRc(environment);
    rcMode = false;
    journal.note("RC mode off: devel is open again.");

    runWindow();
    return watchAfterRollout();
  }

  // ---- 1. windows
  // ---------------------------------------------------------------------------------------

  private void confirmWindows() {
    boolean escalated = false;
    while (!allConfirmed()) {
      Instant escalateAt = main.minus(policy.confirmLead());
      Instant lastChance = main.minus(policy.mergeLead());
      Instant next = Clock.now().isBefore(escalateAt) ? escalateAt : lastChance;
      boolean woke =
          Workflow.await(
              Clock.until(next), () -> allConfirmed() || windowsChanged || abort != null);
      if (abort != null) {
        throw abortBeforeWindow();
      }
      if (windowsChanged) {
        windowsChanged = false;
        journal.note(
            "New windows proposed: main "
                + main
                + ", backup "
                + backup
                + "; confirmations start again.");
        continue;
      }
      if (!woke && !Clock.now().isBefore(lastChance)) {
        throw fail(
            FailureType.WINDOW_NOT_CONFIRMED,
            "the windows were not confirmed by "
                + missingParties()
                + " before the merge deadline "
                + lastChance);
      }
      if (!woke && !escalated) {
        escalated = true;
        announce(
            "escalation",
            "Monthly downtime of "
                + environment
                + " on "
                + main
                + " is not confirmed yet by "
                + missingParties()
                + "; please confirm or propose another time.");
      }
    }
    journal.note("Windows confirmed by " + confirmations + ".");
  }

  private boolean allConfirmed() {
    return parties.stream().allMatch(confirmations::containsKey);
  }

  private List<String> missingParties() {
    return parties.stream().filter(p -> !confirmations.containsKey(p)).toList();
  }

  /** Null when the windows are acceptable, else why not. */
  private String windowProblem(Instant m, Instant b) {
    Instant now = Clock.now();
    if (m.isBefore(now.plus(policy.minNotice()))) {
      return "the main window "
          + m
          + " is less than "
          + policy.minNotice().toDays()
          + " days away; windows need "
          + policy.minNotice().toDays()
          + " days' notice";
    }
    if (!b.isAfter(m.plus(policy.windowLength()))) {
      return "the backup window "
          + b
          + " must start after the main window ends ("
          + m.plus(policy.windowLength())
          + ")";
    }
    return null;
  }

  // ---- 2. QA-ok merge and budget
  // ---------------------------------------------------------------------------

  private boolean merge(String dbStable) {
    journal.stage(MonthlyStage.MERGING);
    List<RevisionInfo> pending = monthly.pendingRevisions(environment, dbStable);
    List<RevisionInfo> prefix = new ArrayList<>();
    String blocker = null;
    for (RevisionInfo r : pending) {
      String qaBy = qaBy(r);
      if (blocker == null && (!r.carriesPatches() || qaBy != null)) {
        prefix.add(r);
      } else if (blocker == null) {
        blocker = r.sha();
      }
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    double staging = 0;
    if (prefix.stream().anyMatch(RevisionInfo::carriesPatches)) {
      for (PatchTiming t : monthly.timeRevision(environment, prefix.get(prefix.size() - 1).sha())) {
        seconds.put(t.file(), t.seconds());
      }
      staging = stagingOf(prefix, seconds);
      while (!prefix.isEmpty() && estimate(staging) > policy.windowLength().toMillis() / 1000.0) {
        RevisionInfo last = prefix.remove(prefix.size() - 1);
        dropped.add(last.sha());
        staging = stagingOf(prefix, seconds);
      }
    }
    for (RevisionInfo r : pending) {
      String why =
          prefix.contains(r)
              ? null
              : dropped.contains(r.sha())
                  ? "over budget: 2 x staging + "
                      + minutes(policy.estimateOverhead())
                      + " min would not fit the "
                      + minutes(policy.windowLength())
                      + " min window"
                  : r.sha().equals(blocker)
                      ? "no QA-ok"
                      : "after "
                          + blocker.substring(0, Math.min(12, blocker.length()))
                          + ", which has no QA-ok (a merge cannot skip a commit)";
      revisions.add(
          new RevisionStatus(
              r,
              !r.carriesPatches() ? "NOT_NEEDED" : qaBy(r) != null ? "OK" : "WAITING",
              qaBy(r),
              prefix.contains(r),
              why));
    }
    budget =
        new MonthlyStatus.Budget(
            staging, estimate(staging), policy.windowLength().toMillis() / 1000.0, dropped);
    if (prefix.isEmpty()) {
      journal.note(
          "Nothing to merge: "
              + (pending.isEmpty() ? "db-stable has no new revision" : "no QA-ok prefix fits")
              + ".");
      return false;
    }
    mergedRevision = prefix.get(prefix.size() - 1).sha();
    journal.note(
        String.format(
            "Merging %d revision(s) up to %s: staging %.1f s, production estimate %.1f min of %d;"
                + " excluded %d.",
            prefix.size(),
            shortSha(mergedRevision),
            staging,
            estimate(staging) / 60,
            minutes(policy.windowLength()),
            pending.size() - prefix.size()));
    mergeCommit = monthly.mergeAndEnterRc(environment, mergedRevision, workflowId);
    rcMode = true;
    journal.stage(MonthlyStage.RC_MODE);
    journal.note(
        "Merged db-stable "
            + shortSha(mergedRevision)
            + " into devel as "
            + shortSha(mergeCommit)
            + "; RC mode on: only [release-critical=…] or approved landings.");
    announce("rc-mode", "devel is in RC mode for the monthly downtime of " + environment + ".");
    return true;
  }

  /**
   * Who QA-ok'd the revision. Version 1: a QA-ok from the revision's own author does not count (a
   * note says so once); before it, any approver's did.
   */
  private String qaBy(RevisionInfo r) {
    String by =
        qaOks.entrySet().stream()
            .filter(e -> r.sha().startsWith(e.getKey()))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(null);
    if (by != null
        && Authors.wrote(r.author(), by)
        && Workflow.getVersion("author-qa", Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION) {
      if (selfApproved.add(r.sha())) {
        journal.note(
            by
                + " wrote "
                + shortSha(r.sha())
                + " ("
                + r.author()
                + "): their QA-ok does not count.");
      }
      return null;
    }
    return by;
  }

  private static double stagingOf(List<RevisionInfo> revs, Map<String, Double> seconds) {
    return revs.stream()
        .flatMap(r -> r.patchFiles().stream())
        .mapToDouble(f -> seconds.getOrDefault(f.substring(f.lastIndexOf('/') + 1), 0.0))
        .sum();
  }

  private double estimate(double stagingSeconds) {
    return 2 * stagingSeconds + policy.estimateOverhead().toMillis() / 1000.0;
  }

  // ---- 3. CI, qastaging
  // ------------------------------------------------------------------------------------

  private void awaitCi() {
    journal.stage(MonthlyStage.AWAITING_CI);
    Instant deadline = main.minus(policy.reminderLead());
    while (ciBlessedBy == null) {
      Instant next =
          policy.ciPolled() ? min(deadline, Clock.now().plus(policy.ciPollInterval())) : deadline;
      Workflow.await(Clock.until(next), () -> ciBlessedBy != null || abort != null);
      if (abort != null) {
        throw abortBeforeWindow();
      }
      if (ciBlessedBy == null && policy.ciPolled() && monthly.ciPassed(environment, mergeCommit)) {
        ciBlessedBy = "CI";
      }
      if (ciBlessedBy == null && !Clock.now().isBefore(deadline)) {
        throw failInRc(
            FailureType.CI_NOT_BLESSED,
            "CI did not bless " + shortSha(mergeCommit) + " by " + deadline);
      }
    }
    journal.note("CI blessed " + shortSha(mergeCommit) + " (" + ciBlessedBy + ").");
  }

  private void upgradeQastaging() {
    journal.stage(MonthlyStage.UPGRADING_QASTAGING);
    monthly.upgradeQastaging(environment).forEach(journal::note);
    journal.stage(MonthlyStage.AWAITING_QASTAGING);
    Instant deadline = main.minus(policy.reminderLead());
    Workflow.await(Clock.until(deadline), () -> qastagingOkBy != null || abort != null);
    if (abort != null) {
      throw abortBeforeWindow();
    }
    if (qastagingOkBy == null) {
      throw failInRc(FailureType.QASTAGING_NOT_OK, "qastaging was not re-QA'd by " + deadline);
    }
    journal.note("qastaging re-QA'd by " + qastagingOkBy + ".");
  }

  // ---- 4. the window, with abort to the backup window
  // -----------------------------------------------------

  private void runWindow() {
    Instant at = main;
    for (int attempt = 1; ; attempt++) {
      journal.stage(MonthlyStage.SCHEDULED);
      Instant reminderAt = at.minus(policy.reminderLead());
      if (Clock.now().isBefore(reminderAt)) {
        awaitOrReschedule(reminderAt);
        announce(
            "reminder-" + attempt,
            "Reminder: monthly downtime of "
                + environment
                + " at "
                + at
                + " ("
                + minutes(policy.windowLength())
                + " min); some services may pause up to "
                + minutes(policy.servicesPauseLead())
                + " min before."
                + outstandingCowboys());
      }
      OutageCore core = new OutageCore(policy.fast());
      try {
        if (abort == null) {
          Workflow.await(Clock.until(at.minus(policy.servicesPauseLead())), () -> abort != null);
        }
        List<PatchCandidate> patches = List.of();
        if (abort == null) {
          journal.stage(MonthlyStage.SERVICES_PAUSED);
          journal.hooks("Quiesce", () -> window.quiesce(environment));
          patches = resolveAndApplyLive();
        }
        double planSeconds = budget == null ? 0 : budget.estimateSeconds();
        Instant offTrackAt =
            at.plusMillis((long) (planSeconds * 1000)).plus(policy.offTrackLimit());
        outage =
            core.runAt(
                new OutageRequest(environment, workflowId + "-" + attempt, patches),
                at,
                () -> abort,
                journal,
                offTrackAt);
        journal.event(
            MonthlyStage.OUTAGE,
            String.format(
                "Outage complete: %s, within the plan of %.1f min.",
                Clock.format(Duration.ofMillis(outage.outageMillis())), planSeconds / 60));
        WindowMetrics metrics = new WindowMetrics(environment, MonthlyDowntimeWorkflow.TYPE);
        metrics.outage(outage);
        metrics.leadTimes(patches, Clock.now());
        journal.hooks("Resume", () -> window.resume(environment));
        return;
      } catch (ApplicationFailure e) {
        journal.hooks("Resume", () -> window.resume(environment));
        boolean abortable =
            FailureType.ABORTED.name().equals(e.getType())
                || FailureType.OFF_TRACK.name().equals(e.getType());
        if (!abortable || attempt >= MAX_ATTEMPTS) {
          failureType = e.getType();
          message = e.getOriginalMessage();
          journal.stage(MonthlyStage.FAILED);
          announce(
              "failed",
              "Monthly downtime of "
                  + environment
                  + " failed: "
                  + message
                  + " Patches are still pending.");
          throw e;
        }
        at = reschedule(e.getOriginalMessage());
      }
    }
  }

  /**
   * The next window: the backup if it gives enough notice, else the first hour that does; said in
   * the timeline.
   */
  private Instant reschedule(String why) {
    MonthlyStage failedStep = journal.stage();
    Instant earliest = Clock.now().plus(policy.backupNotice());
    Instant next;
    String how;
    if (!backupUsed && !backup.isBefore(earliest)) {
      next = backup;
      how = "the backup window";
    } else {
      next = earliest.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
      how =
          backupUsed
              ? "a new window (the backup was used)"
              : "a new window: the backup window "
                  + backup
                  + " is less than "
                  + policy.backupNotice().toHours()
                  + " h away";
    }
    backupUsed = true;
    abort = null;
    main = next;
    upsertWindow();
    journal.stage(MonthlyStage.RESCHEDULED);
    journal.note(
        "Aborted at " + failedStep + " (" + why + "); rescheduled to " + how + ": " + next + ".");
    announce(
        "rescheduled-" + next,
        "Monthly downtime of "
            + environment
            + " was aborted ("
            + why
            + ") and is"
            + " rescheduled to "
            + next
            + " ("
            + how
            + "). Nothing was changed.");
    return next;
  }

  private List<PatchCandidate> resolveAndApplyLive() {
    ResolvedPatches resolved = db.resolvePatches(environment, List.of());
    LivePatches.apply(longDb, environment, workflowId, resolved.live(), journal::note);
    return resolved.cold();
  }

  // ---- 5. after
  // -------------------------------------------------------------------------------------------

  private MonthlyResult watchAfterRollout() {
    journal.stage(MonthlyStage.POST_CHECKS);
    try {
      window.postChecks(environment).forEach(r -> journal.note(r));
    } catch (RuntimeException e) {
      String problem = "post-rollout checks failed: " + WindowFailures.of(e).message();
      incidents.add(Clock.now() + " fastdowntime: " + problem);
      announce("incident-checks", "Monthly downtime of " + environment + ": " + problem);
    }
    List<String> applied = outage.applied().stream().map(a -> a.id().toString()).toList();
    message =
        "Rolled out db-stable "
            + shortSha(mergedRevision)
            + " ("
            + String.join(", ", applied)
            + ") with an outage of "
            + Clock.format(Duration.ofMillis(outage.outageMillis()))
            + "."
            + outstandingCowboys();
    announce("done", "Monthly downtime of " + environment + " done. " + message);
    journal.stage(MonthlyStage.WATCHING);
    Workflow.await(policy.postRolloutWatch(), () -> false);
    journal.stage(MonthlyStage.DONE);
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new MonthlyResult(
        Outcome.COMPLETED,
        message,
        mergedRevision,
        applied,
        outage.outageMillis(),
        incidents.size());
  }

  /**
   * Landing approvals and incident announcements, which signals ask for and activities carry out.
   */
  private void background() {
    while (true) {
      Workflow.await(() -> finished || !landingQueue.isEmpty() || !announceQueue.isEmpty());
      if (!landingQueue.isEmpty()) {
        String commit = landingQueue.remove(0);
        try {
          monthly.approveLanding(environment, commit);
          journal.note("Landing of " + shortSha(commit) + " approved in RC mode.");
        } catch (RuntimeException e) {
          journal.note(
              "Recording the landing approval of "
                  + commit
                  + " failed: "
                  + WindowFailures.of(e).message());
        }
      } else if (!announceQueue.isEmpty()) {
        sendAnnouncement(announceQueue.remove(0));
      } else if (finished) {
        return;
      }
    }
  }

  // ---- signals
  // ----------------------------------------------------------------------------------------------

  @Override
  public void confirmWindow(MonthlySignals.Window s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.party()) || blank(s.by())
                      ? "the payload needs \"party\" and \"by\""
                      : journal.stage() != MonthlyStage.CONFIRMING
                          ? "the windows are already settled (stage " + journal.stage() + ")"
                          : !parties.contains(s.party())
                              ? "'" + s.party() + "' is not a confirming party of this downtime"
                              : !policy.inParty(s.party(), s.by())
                                  ? s.by() + " does not speak for " + s.party()
                                  : null;
          if (record(
              "confirmWindow",
              s == null ? null : s.by(),
              s == null ? null : s.party(),
              problem,
              "confirmed")) {
            confirmations.put(s.party(), s.by());
          }
        });
  }

  @Override
  public void proposeWindow(MonthlySignals.Window s) {
    receive(
        () -> {
          Instant m = null;
          Instant b = null;
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null
                          || blank(s.party())
                          || blank(s.by())
                          || blank(s.main())
                          || blank(s.backup())
                      ? "the payload needs \"party\", \"by\", \"main\" and \"backup\""
                      : journal.stage() != MonthlyStage.CONFIRMING
                          ? "the windows are already settled (stage " + journal.stage() + ")"
                          : !policy.inParty(s.party(), s.by())
                              ? s.by() + " does not speak for " + s.party()
                              : null;
          if (problem == null) {
            try {
              m = OffsetDateTime.parse(s.main()).toInstant();
              b = OffsetDateTime.parse(s.backup()).toInstant();
              problem = windowProblem(m, b);
            } catch (DateTimeParseException e) {
              problem = "\"main\" and \"backup\" must be ISO-8601 times with an offset";
            }
          }
          if (record(
              "proposeWindow",
              s == null ? null : s.by(),
              s == null ? null : s.party(),
              problem,
              "new windows " + (m == null ? "" : m + " / " + b))) {
            main = m;
            backup = b;
            confirmations.clear();
            confirmations.put(s.party(), s.by());
            windowsChanged = true;
            upsertWindow();
          }
        });
  }

  @Override
  public void qaOk(MonthlySignals.Revision s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.revision()) || blank(s.by())
                      ? "the payload needs \"revision\" and \"by\""
                      : s.revision().length() < 7
                          ? "the revision must be at least 7 hex digits"
                          : mergedRevision != null || revisions.size() > 0
                              ? "the QA-ok merge is done (stage " + journal.stage() + ")"
                              : !policy.fast().canApprove(s.by())
                                  ? s.by() + " is not a configured approver"
                                  : null;
          if (record(
              "qaOk",
              s == null ? null : s.by(),
              s == null ? null : s.revision(),
              problem,
              "QA-ok")) {
            qaOks.put(s.revision(), s.by());
          }
        });
  }

  @Override
  public void ciBlessed(MonthlySignals.Revision s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.revision()) || blank(s.by())
                      ? "the payload needs \"revision\" and \"by\""
                      : journal.stage() != MonthlyStage.AWAITING_CI
                              && journal.stage() != MonthlyStage.RC_MODE
                          ? "nothing awaits CI (stage " + journal.stage() + ")"
                          : !policy.isLead(s.by())
                              ? s.by() + " is not a lead"
                              : !(mergeCommit.startsWith(s.revision())
                                      || mergedRevision.startsWith(s.revision()))
                                  ? s.revision()
                                      + " is not the merge ("
                                      + shortSha(mergeCommit)
                                      + ")"
                                  : null;
          if (record(
              "ciBlessed",
              s == null ? null : s.by(),
              s == null ? null : s.revision(),
              problem,
              "blessed")) {
            ciBlessedBy = s.by();
          }
        });
  }

  @Override
  public void approveLanding(MonthlySignals.Landing s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.commit()) || blank(s.by())
                      ? "the payload needs \"commit\" and \"by\""
                      : !s.commit().matches("[0-9a-f]{7,40}")
                          ? "\"commit\" must be 7 to 40 hex digits"
                          : !rcMode
                              ? "RC mode is off: nothing to approve"
                              : !policy.isLead(s.by()) ? s.by() + " is not a lead" : null;
          if (record(
              "approveLanding",
              s == null ? null : s.by(),
              s == null ? null : s.commit(),
              problem,
              "approved")) {
            landingQueue.add(s.commit());
          }
        });
  }

  @Override
  public void qastagingOk(MonthlySignals.By s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.by())
                      ? "the payload needs \"by\""
                      : journal.stage() != MonthlyStage.AWAITING_QASTAGING
                          ? "qastaging is not waiting for re-QA (stage " + journal.stage() + ")"
                          : !policy.fast().canApprove(s.by())
                              ? s.by() + " is not a configured approver"
                              : null;
          if (record("qastagingOk", s == null ? null : s.by(), null, problem, "re-QA ok")) {
            qastagingOkBy = s.by();
          }
        });
  }

  @Override
  public void cowboy(MonthlySignals.Cowboy s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.name()) || blank(s.by()) || blank(s.state())
                      ? "the payload needs \"name\", \"by\" and \"state\""
                      : !Set.of("outstanding", "landed", "reapply").contains(s.state())
                          ? "state is outstanding, landed or reapply"
                          : !policy.isAnyone(s.by())
                              ? s.by() + " has no role in this downtime"
                              : null;
          if (record(
              "cowboy",
              s == null ? null : s.by(),
              s == null ? null : s.name(),
              problem,
              s == null ? "" : s.state())) {
            cowboys.put(s.name(), s.state());
          }
        });
  }

  @Override
  public void abort(AbortSignal s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.by()) || blank(s.reason())
                      ? "the payload needs \"reason\" and \"by\""
                      : (journal.stage() == MonthlyStage.WATCHING || journal.ended())
                          ? "too late: stage " + journal.stage()
                          : !policy.isLead(s.by())
                              ? s.by() + " is not a lead"
                              : abort != null ? "already aborted by " + abort.by() : null;
          if (record("abort", s == null ? null : s.by(), null, problem, "accepted")) {
            abort = s;
            journal.note("Abort requested by " + s.by() + ": " + s.reason() + ".");
          }
        });
  }

  @Override
  public void reportIssue(MonthlySignals.Issue s) {
    receive(
        () -> {
          String problem =
              s != null && s.invalid() != null
                  ? s.invalid()
                  : s == null || blank(s.summary()) || blank(s.by())
                      ? "the payload needs \"summary\" and \"by\""
                      : journal.stage() == MonthlyStage.DONE
                          ? "the post-rollout watch has ended"
                          : !policy.isAnyone(s.by())
                              ? s.by() + " has no role in this downtime"
                              : null;
          if (record("reportIssue", s == null ? null : s.by(), null, problem, "recorded")) {
            incidents.add(Clock.now() + " " + s.by() + ": " + s.summary());
            announce(
                "incident-" + incidents.size(),
                "Post-rollout issue on "
                    + environment
                    + " reported by "
                    + s.by()
                    + ": "
                    + s.summary());
          }
        });
  }

  /** Signals wait for the policy (who may do what) before they are judged. */
  private void receive(Runnable handler) {
    if (policy == null && journal.stage() != MonthlyStage.FAILED) {
      inbox.add(handler);
    } else if (policy == null) {
      signals.add(
          new SignalRecord(
              Clock.now(), "?", null, null, false, "the downtime failed before judging signals"));
    } else {
      handler.run();
    }
  }

  /** Keeps every signal with its verdict; true when it is accepted. */
  private boolean record(
      String name, String rawBy, String rawSubject, String problem, String accepted) {
    String by = Lenient.shown(rawBy);
    String subject = Lenient.shown(rawSubject);
    signals.add(
        new SignalRecord(
            Clock.now(), name, by, subject, problem == null, problem == null ? accepted : problem));
    if (problem != null) {
      log.warn("Signal {} from {} rejected: {}", name, by, problem);
    } else {
      journal.note(
          name
              + " from "
              + by
              + (subject == null ? "" : " for " + subject)
              + ": "
              + accepted
              + ".");
    }
    return problem == null;
  }

  @Override
  public MonthlyStatus status() {
    return new MonthlyStatus(
        environment,
        journal.stage().name(),
        main,
        backup,
        Map.copyOf(confirmations),
        List.copyOf(revisions),
        mergedRevision,
        budget,
        rcMode,
        Map.copyOf(cowboys),
        List.copyOf(incidents),
        List.copyOf(signals),
        journal.timeline(),
        outage,
        failureType,
        message);
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------------------

  private Instant instant(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      throw fail(
          FailureType.BAD_INPUT,
          "\""
              + field
              + "\" must be an ISO-8601 time with an offset, e.g."
              + " 2026-12-08T22:00:00Z (got \""
              + text
              + "\")");
    }
  }

  private void awaitOrAbort(Instant until) {
    Workflow.await(Clock.until(until), () -> abort != null);
    if (abort != null) {
      throw abortBeforeWindow();
    }
  }

  /** Before the reminder an abort moves the window; it is handled by the outage core's own wait. */
  private void awaitOrReschedule(Instant until) {
    Workflow.await(Clock.until(until), () -> abort != null);
  }

  private ApplicationFailure abortBeforeWindow() {
    if (rcMode) {
      monthly.leaveRc(environment);
      rcMode = false;
    }
    failureType = FailureType.ABORTED.name();
    message =
        "Aborted by "
            + abort.by()
            + " at "
            + journal.stage()
            + ": "
            + abort.reason()
            + ". Nothing was changed.";
    journal.stage(MonthlyStage.ABORTED);
    announce("aborted", "Monthly downtime of " + environment + ": " + message);
    return WindowFailures.fail(FailureType.ABORTED, message);
  }

  private ApplicationFailure failInRc(FailureType type, String why) {
    monthly.leaveRc(environment);
    rcMode = false;
    return fail(type, why + "; RC mode is off again and the downtime is called off.");
  }

  private ApplicationFailure fail(String type, String why) {
    failureType = type;
    message = why;
    journal.stage(MonthlyStage.FAILED);
    journal.note(type + ": " + why);
    if (policy != null) {
      announce("failed", "Monthly downtime of " + environment + ": " + why);
    }
    inbox.clear();
    return WindowFailures.fail(type, why);
  }

  private ApplicationFailure fail(FailureType type, String why) {
    return fail(type.name(), why);
  }

  /** Queued, so a signal handler can ask for one; sent by the background loop. */
  private void announce(String event, String text) {
    announceQueue.add(
        new Announcement(environment, workflowId, event, text, workflowId + "/" + event));
  }

  private void sendAnnouncement(Announcement a) {
    try {
      window.announce(a);
      journal.note("Announced (" + a.event() + "): " + a.text());
    } catch (RuntimeException e) {
      journal.note("Announcement '" + a.event() + "' failed: " + WindowFailures.of(e).message());
    }
  }

  private String outstandingCowboys() {
    List<String> open =
        cowboys.entrySet().stream()
            .filter(e -> !e.getValue().equals("landed"))
            .map(e -> e.getKey() + " (" + e.getValue() + ")")
            .toList();
    return open.isEmpty()
        ? ""
        : " Cowboys to re-apply after the rollout: " + String.join(", ", open) + ".";
  }

  private void upsertWindow() {
    Journal.window(main);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static long minutes(Duration d) {
    return d.toMinutes();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static String shortSha(String sha) {
    return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
  }
}
