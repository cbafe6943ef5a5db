package org.fastdowntime.fast;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.OutageCore;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

public class FastDowntimeWorkflowImpl implements FastDowntimeWorkflow {
  private static final Logger log = Workflow.getLogger(FastDowntimeWorkflowImpl.class);

  private final DatabaseActivities db = ActivityStubs.database();
  private final DatabaseActivities longDb = ActivityStubs.longDatabase();
  private final WindowActivities window = ActivityStubs.window();

  private final Journal journal = new Journal("STARTING", log);
  private final String environment;
  private final String workflowId;
  private EnvironmentPolicy policy;
  private Instant windowStart;
  private Instant qaDeadline;

  /** Set once the candidates are resolved and timed: signals are judged from then on. */
  private boolean judging;

  private boolean qaOpen = true;
  private final Map<PatchId, Candidate> candidates = new LinkedHashMap<>();
  private final List<SignalRecord> signals = new ArrayList<>();

  /** Signals that arrived before the policy (who may approve) was known, in arrival order. */
  private final List<Pending> inbox = new ArrayList<>();

  private AbortSignal abort;
  private final List<Promise<Void>> announcing = new ArrayList<>();
  private OutageReport outage;
  private String failureType;
  private String message;

  /** A candidate's QA state; mutable inside the workflow, exposed as {@link PatchQaStatus}. */
  private static final class Candidate {
    final PatchCandidate patch;
    Double stagingSeconds;
    boolean needsSignOff;
    QaState state = QaState.WAITING;
    String qaBy;
    String signedOffBy;
    String note;

    Candidate(PatchCandidate patch) {
      this.patch = patch;
    }

    PatchQaStatus view() {
      return new PatchQaStatus(
          patch.id(),
          patch.file(),
          patch.sha256(),
          stagingSeconds,
          needsSignOff,
          state,
          qaBy,
          signedOffBy,
          note);
    }

    boolean decided() {
      return state == QaState.APPROVED || state == QaState.REJECTED;
    }
  }

  private record Pending(String name, QaSignal qa, AbortSignal abort, Instant at) {}

  @WorkflowInit
  public FastDowntimeWorkflowImpl(FastDowntimeRequest request) {
    this.environment = request == null ? null : Lenient.shown(request.environment());
    this.workflowId = Workflow.getInfo().getWorkflowId();
  }

  @Override
  public FastDowntimeResult run(FastDowntimeRequest request) {
    try {
      FastDowntimeResult r = window(request);
      metrics().window(r.outcome().equals("COMPLETED") ? "done" : "skipped");
      return r;
    } catch (ApplicationFailure e) {
      metrics().window(FailureType.ABORTED.name().equals(e.getType()) ? "aborted" : "failed");
      throw e;
    } finally {
      settleAnnouncements();
    }
  }

  private WindowMetrics metrics() {
    return new WindowMetrics(environment, FastDowntimeWorkflow.TYPE);
  }

  private FastDowntimeResult window(FastDowntimeRequest request) {
    Instant started = Clock.now();
    List<PatchId> requested = validate(request, started);
    journal.event(
        "STARTING",
        "Window requested for "
            + environment
            + " at "
            + (windowStart == null ? "the end of QA" : windowStart)
            + ".");
    try {
      policy = db.loadPolicy(environment);
    } catch (RuntimeException e) {
      throw failEarly(WindowFailures.of(e));
    }

    ResolvedPatches resolved;
    try {
      resolved = db.resolvePatches(environment, requested);
    } catch (RuntimeException e) {
      throw failEarly(WindowFailures.of(e));
    }
    applyLivePatches(resolved.live());
    for (PatchCandidate c : resolved.cold()) {
      candidates.put(c.id(), new Candidate(c));
    }
    if (candidates.isEmpty()) {
      startJudging();
      return skip("Nothing to deploy: no pending cold patch.");
    }
    timeOnStaging();
    startJudging();

    qaDeadline =
        windowStart == null
            ? started.plus(policy.qaLead())
            : windowStart.minus(policy.qaLead()).isBefore(started)
                ? windowStart
                : windowStart.minus(policy.qaLead());
    journal.stage("AWAITING_QA");
    journal.event(
        "AWAITING_QA",
        "Waiting for QA of " + ids(candidates.keySet()) + " until " + qaDeadline + ".");
    Instant qaFrom = Clock.now();
    Workflow.await(
        Clock.until(qaDeadline),
        () -> abort != null || candidates.values().stream().allMatch(Candidate::decided));
    qaOpen = false;
    metrics().qaWait(Duration.between(qaFrom, Clock.now()));
    List<PatchId> deferred = new ArrayList<>();
    List<PatchCandidate> approved = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (c.state == QaState.APPROVED) {
        approved.add(c.patch);
      } else if (c.state != QaState.REJECTED) {
        c.state = QaState.DEFERRED;
        deferred.add(c.patch.id());
      }
    }
    if (abort != null) {
      throw aborted(false);
    }
    if (!deferred.isEmpty()) {
      journal.event(
          "AWAITING_QA", "Deferred (not approved by the QA deadline): " + ids(deferred) + ".");
      announceAsync(
          "deferred",
          "Fast downtime of "
              + environment
              + ": deferred to a later window (not approved by"
              + " the QA deadline): "
              + ids(deferred)
              + ".",
          Map.of("deferred", ids(deferred)));
    }
    if (approved.isEmpty()) {
      return skip("Window skipped: no patch was approved by the QA deadline.", deferred);
    }
    if (windowStart == null) {
      windowStart = Clock.now();
    }
    upsertWindow();

    journal.stage("WAITING_FOR_WINDOW");
    Instant quiesceAt = windowStart.minus(policy.quiesceLead());
    if (Workflow.await(Clock.until(quiesceAt), () -> abort != null)) {
      throw aborted(false);
    }
    journal.stage("QUIESCED");
    journal.hooks("Quiesce", () -> window.quiesce(environment));
    String approvedIds = ids(approved.stream().map(PatchCandidate::id).toList());
    announce(
        "announced",
        "Fast downtime of "
            + environment
            + " at "
            + windowStart
            + ": patches "
            + approvedIds
            + (deferred.isEmpty() ? "" : "; deferred: " + ids(deferred))
            + ".",
        Map.of(
            "windowStart",
            windowStart.toString(),
            "patches",
            approvedIds,
            "deferred",
            ids(deferred)));
    // Version 1: preflight before the window and an armed outage that closes the gate on time at T.
    int armed = Workflow.getVersion("armed-outage", Workflow.DEFAULT_VERSION, 1);
    if (armed == Workflow.DEFAULT_VERSION
        && Workflow.await(Clock.until(windowStart), () -> abort != null)) {
      throw aborted(true);
    }

    announceAsync(
        "starting",
        "Fast downtime of "
            + environment
            + " starts at "
            + windowStart
            + ": connections are"
            + " refused for the outage (budget "
            + Clock.format(policy.outageBudget())
            + ").",
        Map.of("windowStart", windowStart.toString(), "patches", approvedIds));
    OutageRequest outageRequest = new OutageRequest(environment, workflowId, approved);
    try {
      OutageCore core = new OutageCore(policy);
      outage =
          armed == Workflow.DEFAULT_VERSION
              ? core.run(outageRequest, () -> abort, journal)
              : core.runAt(outageRequest, windowStart, () -> abort, journal);
    } catch (ApplicationFailure e) {
      failureType = e.getType();
      message = e.getOriginalMessage();
      journal.stage(FailureType.ABORTED.name().equals(failureType) ? "ABORTED" : "FAILED");
      journal.hooks("Resume", () -> window.resume(environment));
      announce(
          "failed",
          "Fast downtime of "
              + environment
              + " did not apply its patches: "
              + message
              + " They are still pending.");
      throw e;
    }
    for (AppliedPatch a : outage.applied()) {
      candidates.get(a.id()).state = QaState.APPLIED;
    }
    metrics().outage(outage);
    metrics()
        .leadTimes(
            outage.applied().stream().map(a -> candidates.get(a.id()).patch).toList(), Clock.now());
    journal.hooks("Resume", () -> window.resume(environment));
    journal.stage("POST_CHECKS");
    try {
      window.postChecks(environment).forEach(r -> journal.event("POST_CHECKS", r));
    } catch (RuntimeException e) {
      WindowFailures.Reason r = WindowFailures.of(e);
      failureType = FailureType.POST_CHECK_FAILED.name();
      message = "Patches are applied, but post-checks failed: " + r.message();
      journal.stage("FAILED");
      announce("incident", "Fast downtime of " + environment + ": " + message);
      throw WindowFailures.fail(FailureType.POST_CHECK_FAILED, message);
    }
    List<PatchId> applied = outage.applied().stream().map(AppliedPatch::id).toList();
    message =
        "Applied "
            + ids(applied)
            + " with an outage of "
            + Clock.format(Duration.ofMillis(outage.outageMillis()))
            + (deferred.isEmpty() ? "." : "; deferred " + ids(deferred) + ".");
    journal.stage("DONE");
    announce(
        "done",
        "Fast downtime of " + environment + " done: " + message,
        Map.of(
            "outageMillis",
            String.valueOf(outage.outageMillis()),
            "patchSeconds",
            String.valueOf(outage.patchSeconds()),
            "applied",
            ids(applied),
            "deferred",
            ids(deferred),
            "gate",
            outage.gate()));
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new FastDowntimeResult(
        "COMPLETED", message, applied, deferred, outage.outageMillis(), outage.patchSeconds());
  }

  // ---- steps
  // ----------------------------------------------------------------------------------------------

  private List<PatchId> validate(FastDowntimeRequest request, Instant now) {
    if (request != null && request.invalid() != null) {
      throw failEarly(
          new WindowFailures.Reason(
              FailureType.BAD_INPUT.name(), "bad input: " + request.invalid()));
    }
    if (request == null || environment == null || environment.isBlank()) {
      throw failEarly(
          new WindowFailures.Reason(
              FailureType.BAD_INPUT.name(),
              "the input needs an \"environment\", e.g. {\"environment\":\"production\"}"));
    }
    String at = request.windowStart();
    if (at != null && !at.isBlank() && !at.equalsIgnoreCase("now")) {
      try {
        windowStart = OffsetDateTime.parse(at).toInstant();
      } catch (DateTimeParseException e) {
        throw failEarly(
            new WindowFailures.Reason(
                FailureType.BAD_INPUT.name(),
                "\"windowStart\" must be an ISO-8601 time with an offset, e.g. 2026-12-01T08:30:00Z"
                    + " (got \""
                    + at
                    + "\")"));
      }
      if (windowStart.isBefore(now.minus(Duration.ofMinutes(1)))) {
        throw failEarly(
            new WindowFailures.Reason(
                FailureType.BAD_INPUT.name(), "\"windowStart\" " + at + " is in the past"));
      }
      upsertWindow();
    }
    List<PatchId> ids = new ArrayList<>();
    for (String p : request.patches()) {
      try {
        ids.add(PatchId.parse(p));
      } catch (IllegalArgumentException e) {
        throw failEarly(
            new WindowFailures.Reason(
                FailureType.BAD_INPUT.name(), "\"patches\": " + e.getMessage()));
      }
    }
    return ids;
  }

  private void applyLivePatches(List<PatchCandidate> live) {
    if (live.isEmpty()) {
      return;
    }
    journal.stage("APPLYING_LIVE");
    for (PatchCandidate p : live) {
      try {
        AppliedPatch a = longDb.applyLivePatch(environment, p, workflowId);
        journal.event(
            "APPLYING_LIVE",
            String.format("%s applied live in %.1f seconds.", a.id(), a.seconds()));
      } catch (RuntimeException e) {
        journal.event(
            "APPLYING_LIVE",
            "Live patch "
                + p.id()
                + " failed and stays pending: "
                + WindowFailures.of(e).message());
      }
    }
  }

  private void timeOnStaging() {
    journal.stage("TIMING");
    if (!policy.stagingConfigured()) {
      journal.event("TIMING", "No staging environment configured: patches were not timed.");
      return;
    }
    try {
      List<PatchTiming> timings =
          longDb.timeOnStaging(environment, new ArrayList<>(candidates.keySet()));
      for (PatchTiming t : timings) {
        Candidate c = candidates.get(t.id());
        if (c != null) {
          c.stagingSeconds = t.seconds();
          c.needsSignOff = t.needsSignOff();
          journal.event(
              "TIMING",
              String.format(
                  "%s applied just now in %.1f seconds on staging%s.",
                  t.id(), t.seconds(), t.needsSignOff() ? " (over budget: needs sign-off)" : ""));
        }
      }
    } catch (RuntimeException e) {
      throw failEarly(WindowFailures.of(e));
    }
  }

  private FastDowntimeResult skip(String why) {
    return skip(why, List.of());
  }

  private FastDowntimeResult skip(String why, List<PatchId> deferred) {
    message = why;
    journal.stage("SKIPPED");
    journal.event("SKIPPED", why);
    announce("skipped", "Fast downtime of " + environment + ": " + why);
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new FastDowntimeResult("SKIPPED", why, List.of(), deferred, 0, 0);
  }

  private ApplicationFailure aborted(boolean quiesced) {
    failureType = FailureType.ABORTED.name();
    message =
        "Aborted by "
            + abort.by()
            + " before the outage: "
            + abort.reason()
            + ". Nothing was changed.";
    journal.stage("ABORTED");
    journal.event("ABORTED", message);
    if (quiesced) {
      journal.hooks("Resume", () -> window.resume(environment));
    }
    announce("aborted", "Fast downtime of " + environment + ": " + message);
    return WindowFailures.fail(FailureType.ABORTED, message);
  }

  private ApplicationFailure failEarly(WindowFailures.Reason r) {
    failureType = r.type();
    message = r.message();
    journal.stage("FAILED");
    journal.event("FAILED", r.type() + ": " + r.message());
    for (Pending p : inbox) {
      dispatch(p.name(), p.qa(), p.abort());
    }
    inbox.clear();
    return WindowFailures.fail(r.type(), r.message());
  }

  private void announce(String event, String text) {
    announce(event, text, Map.of());
  }

  /**
   * Version 1: announcements go out in the background; a failing channel is retried by Temporal and
   * reported in the status, and never holds up the window. Before it, the window waited for each
   * one.
   */
  private void announce(String event, String text, Map<String, String> fields) {
    Announcement a =
        new Announcement(environment, workflowId, event, text, workflowId + "/" + event, fields);
    if (Workflow.getVersion("async-announcements", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      try {
        window.announce(a);
      } catch (RuntimeException e) {
        journal.note("Announcement '" + event + "' failed: " + WindowFailures.of(e).message());
      }
      return;
    }
    announcing.add(
        Async.procedure(window::announce, a)
            .handle(
                (ok, e) -> {
                  if (e != null) {
                    journal.note(
                        "Announcement '" + event + "' failed: " + WindowFailures.of(e).message());
                  }
                  return null;
                }));
  }

  /** Events that only exist in version 1 (they were never sent before). */
  private void announceAsync(String event, String text, Map<String, String> fields) {
    if (Workflow.getVersion("async-announcements", Workflow.DEFAULT_VERSION, 1)
        != Workflow.DEFAULT_VERSION) {
      announce(event, text, fields);
    }
  }

  /**
   * The window's result waits for its announcements to be delivered or given up (bounded), never
   * the outage.
   */
  private void settleAnnouncements() {
    if (announcing.isEmpty() || announcing.stream().allMatch(Promise::isCompleted)) {
      return;
    }
    Workflow.newDetachedCancellationScope(
            () ->
                Workflow.await(
                    Duration.ofMinutes(10),
                    () -> announcing.stream().allMatch(Promise::isCompleted)))
        .run();
  }

  // ---- signals and queries
  // ---------------------------------------------------------------------------------

  @Override
  public void qaOk(QaSignal s) {
    receive("qaOk", s, null);
  }

  @Override
  public void qaBad(QaSignal s) {
    receive("qaBad", s, null);
  }

  @Override
  public void signOff(QaSignal s) {
    receive("signOff", s, null);
  }

  @Override
  public void abort(AbortSignal s) {
    receive("abort", null, s);
  }

  /**
   * Judges the signals that arrived while the candidates were being resolved and timed, in arrival
   * order.
   */
  private void startJudging() {
    judging = true;
    for (Pending p : inbox) {
      dispatch(p.name(), p.qa(), p.abort());
    }
    inbox.clear();
  }

  /**
   * Signals wait until the policy (who may approve) and the candidates (with their staging times)
   * are known, so a QA-ok sent right after the start is neither lost nor judged against an
   * incomplete list.
   */
  private void receive(String name, QaSignal qa, AbortSignal abortSignal) {
    if (!judging && !terminal()) {
      inbox.add(new Pending(name, qa, abortSignal, Clock.now()));
    } else {
      dispatch(name, qa, abortSignal);
    }
  }

  private void dispatch(String name, QaSignal qa, AbortSignal abortSignal) {
    if (policy == null) {
      String by = qa != null ? qa.by() : abortSignal != null ? abortSignal.by() : null;
      signals.add(
          new SignalRecord(
              Clock.now(),
              name,
              by,
              qa == null ? null : qa.patch(),
              false,
              "the window ended before it could judge signals (" + message + ")"));
    } else if (name.equals("abort")) {
      onAbort(abortSignal);
    } else {
      onQa(name, qa);
    }
  }

  private void onQa(String name, QaSignal s) {
    String by = s == null ? null : Lenient.shown(s.by());
    String patch = s == null ? null : Lenient.shown(s.patch());
    String problem = null;
    Candidate c = null;
    if (s != null && s.invalid() != null) {
      problem = s.invalid();
    } else if (s == null || by == null || by.isBlank() || patch == null || patch.isBlank()) {
      problem = "the payload needs \"patch\" and \"by\"";
    } else if (!qaOpen || terminal()) {
      problem = "QA for this window is closed (stage " + journal.stage() + ")";
    } else {
      try {
        c = candidates.get(PatchId.parse(patch));
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
      if (problem == null && c == null) {
        problem = patch + " is not a candidate of this window";
      }
    }
    if (problem == null) {
      problem =
          switch (name) {
            case "signOff" ->
                policy.canSignOff(by) ? null : by + " is not a configured sign-off approver";
            default -> policy.canApprove(by) ? null : by + " is not a configured approver";
          };
    }
    if (problem == null && !name.equals("qaBad") && c.patch.writtenBy(by)) {
      problem = by + " wrote " + c.patch.id() + " (" + c.patch.author() + ") and cannot approve it";
    }
    if (problem == null && name.equals("qaOk") && by.equals(c.qaBy)) {
      problem = "duplicate: already approved by " + by;
    }
    if (problem != null) {
      signals.add(new SignalRecord(Clock.now(), name, by, patch, false, problem));
      log.warn("Signal {} from {} on {} rejected: {}", name, by, patch, problem);
      return;
    }
    String note = s.reason() != null ? s.reason() : s.note();
    String accepted;
    switch (name) {
      case "qaOk" -> {
        c.qaBy = by;
        c.state =
            c.needsSignOff && c.signedOffBy == null ? QaState.NEEDS_SIGN_OFF : QaState.APPROVED;
        accepted =
            c.state == QaState.APPROVED
                ? "approved"
                : "QA-ok; waiting for a sign-off (over budget)";
      }
      case "qaBad" -> {
        c.state = QaState.REJECTED;
        accepted = "rejected: left out of this window";
      }
      default -> {
        c.signedOffBy = by;
        if (c.qaBy != null && c.state != QaState.REJECTED) {
          c.state = QaState.APPROVED;
        }
        accepted = c.needsSignOff ? "signed off" : "signed off (no sign-off was needed)";
      }
    }
    if (note != null) {
      c.note = note;
    }
    signals.add(new SignalRecord(Clock.now(), name, by, patch, true, accepted));
    journal.note(name + " from " + by + " for " + patch + ": " + accepted + ".");
  }

  private void onAbort(AbortSignal s) {
    String by = s == null ? null : Lenient.shown(s.by());
    String problem = null;
    if (s != null && s.invalid() != null) {
      problem = s.invalid();
    } else if (s == null
        || by == null
        || by.isBlank()
        || s.reason() == null
        || s.reason().isBlank()) {
      problem = "the payload needs \"reason\" and \"by\"";
    } else if (terminal()) {
      problem = "the window has already ended (stage " + journal.stage() + ")";
    } else if (!policy.canAbort(by)) {
      problem = by + " may not abort (not an approver or sign-off approver)";
    } else if (abort != null) {
      problem = "duplicate: already aborted by " + abort.by();
    }
    signals.add(
        new SignalRecord(
            Clock.now(),
            "abort",
            by,
            null,
            problem == null,
            problem == null ? "accepted" : problem));
    if (problem == null) {
      abort = s;
      journal.note("Abort requested by " + by + ": " + s.reason() + ".");
    }
  }

  private boolean terminal() {
    return switch (journal.stage()) {
      case "DONE", "SKIPPED", "FAILED", "ABORTED" -> true;
      default -> false;
    };
  }

  @Override
  public FastDowntimeStatus status() {
    return new FastDowntimeStatus(
        environment,
        journal.stage(),
        windowStart,
        qaDeadline,
        candidates.values().stream().map(Candidate::view).toList(),
        List.copyOf(signals),
        journal.timeline(),
        outage,
        failureType,
        message);
  }

  // ---- bookkeeping
  // -----------------------------------------------------------------------------------------

  private void upsertWindow() {
    Journal.window(windowStart);
  }

  private static String ids(java.util.Collection<PatchId> ids) {
    return ids.stream().map(PatchId::toString).collect(Collectors.joining(", "));
  }
}
