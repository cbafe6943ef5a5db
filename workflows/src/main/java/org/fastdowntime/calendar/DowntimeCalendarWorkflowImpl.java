package org.fastdowntime.calendar;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarState;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.time.Clock;
import org.fastdowntime.time.Durations;
import org.slf4j.Logger;

public class DowntimeCalendarWorkflowImpl implements DowntimeCalendarWorkflow {
  private static final Logger log = Workflow.getLogger(DowntimeCalendarWorkflowImpl.class);

  /** Windows handled per run before continue-as-new keeps the history short. */
  public static final int WINDOWS_PER_RUN = 100;

  private static final int HISTORY = 200;
  private static final Duration NOTICE = Duration.ofHours(24);
  private static final DateTimeFormatter COMPACT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'");

  private final DatabaseActivities db = ActivityStubs.database();
  private final String environment;
  private final CalendarRules rules;
  private EnvironmentPolicy policy;
  private Instant handledUntil;
  private final List<CalendarWindow> added = new ArrayList<>();
  private final Set<String> cancelled = new LinkedHashSet<>();
  private final Map<String, Instant> moved = new LinkedHashMap<>();
  private final Map<String, String> started = new LinkedHashMap<>();
  private final Set<String> handled = new LinkedHashSet<>();
  private final List<String> blackouts = new ArrayList<>();
  private boolean paused;
  private final List<CalendarWindow> history = new ArrayList<>();
  private int windowsRun;
  private int windowsSkipped;
  private int generation;
  private boolean changed;

  @WorkflowInit
  public DowntimeCalendarWorkflowImpl(CalendarRequest request) {
    environment = request == null ? null : request.environment();
    rules =
        request == null || request.rules() == null ? CalendarRules.launchpad() : request.rules();
    CalendarState s = request == null ? null : request.state();
    if (s == null) {
      handledUntil = Clock.now();
      blackouts.addAll(rules.blackouts());
    } else {
      handledUntil = s.handledUntil();
      added.addAll(s.added());
      cancelled.addAll(s.cancelled());
      moved.putAll(s.moved());
      started.putAll(s.started());
      blackouts.addAll(s.blackouts());
      paused = s.paused();
      history.addAll(s.history());
      history.forEach(w -> handled.add(w.id()));
      windowsRun = s.windowsRun();
      windowsSkipped = s.windowsSkipped();
      generation = s.generation() + 1;
    }
  }

  @Override
  public void run(CalendarRequest request) {
    if (environment == null || environment.isBlank()) {
      throw WindowFailures.fail(FailureType.BAD_INPUT, "the input needs an \"environment\"");
    }
    try {
      Slots.validate(rules);
    } catch (RuntimeException e) {
      throw WindowFailures.fail(FailureType.BAD_INPUT, "bad calendar rules: " + e.getMessage());
    }
    try {
      policy = db.loadPolicy(environment);
    } catch (RuntimeException e) {
      WindowFailures.Reason r = WindowFailures.of(e);
      throw WindowFailures.fail(r.type(), r.message());
    }
    int handledThisRun = 0;
    while (true) {
      if (handledThisRun >= WINDOWS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        log.info("Calendar of {}: continuing as new after {} windows", environment, handledThisRun);
        Workflow.continueAsNew(new CalendarRequest(environment, rules, snapshot()));
      }
      CalendarWindow next = nextToHandle();
      changed = false;
      if (next == null) {
        Workflow.await(() -> changed);
        continue;
      }
      Instant fireAt = fireAt(next);
      if (Workflow.await(Clock.until(fireAt), () -> changed)) {
        continue; // the calendar changed: look again
      }
      handle(next);
      handled.add(next.id());
      handledUntil = fireAt.isAfter(handledUntil) ? fireAt : handledUntil;
      handledThisRun++;
      prune();
    }
  }

  // ---- the windows
  // ----------------------------------------------------------------------------------------

  /** Every window from the rules, moved, added and not cancelled, with start in (from, to]. */
  private List<CalendarWindow> effective(Instant from, Instant to) {
    List<CalendarWindow> out = new ArrayList<>();
    for (CalendarWindow w : Slots.between(rules, from, to)) {
      if (!moved.containsKey(w.id()) && !cancelled.contains(w.id())) {
        out.add(w);
      }
    }
    moved.forEach(
        (id, start) -> {
          if (!cancelled.contains(id) && start.isAfter(from) && !start.isAfter(to)) {
            String kind = id.substring(0, id.indexOf('@')).replace("ADDED-", "");
            out.add(
                new CalendarWindow(
                    id, kind, start, backupFor(kind, start), "SCHEDULED", null, "moved"));
          }
        });
    for (CalendarWindow w : added) {
      if (!cancelled.contains(w.id())
          && !moved.containsKey(w.id())
          && w.start().isAfter(from)
          && !w.start().isAfter(to)) {
        out.add(w);
      }
    }
    out.sort(Comparator.comparing(CalendarWindow::start));
    return out;
  }

  private Instant backupFor(String kind, Instant start) {
    if (!Slots.MONTHLY.equals(kind)) {
      return null;
    }
    int days =
        rules.monthly().isEmpty() || rules.monthly().get(0).backupAfterDays() == null
            ? 2
            : rules.monthly().get(0).backupAfterDays();
    return start.plus(Duration.ofDays(days));
  }

  private Duration lead(String kind) {
    return Durations.parse(Slots.MONTHLY.equals(kind) ? rules.monthlyLead() : rules.fastLead());
  }

  private Instant fireAt(CalendarWindow w) {
    return w.start().minus(lead(w.kind()));
  }

  private CalendarWindow nextToHandle() {
    Duration maxLead =
        lead(Slots.MONTHLY).compareTo(lead(Slots.FAST)) > 0
            ? lead(Slots.MONTHLY)
            : lead(Slots.FAST);
    Instant from = handledUntil.minus(Duration.ofDays(1));
    return effective(from, handledUntil.plus(maxLead).plus(Duration.ofDays(40))).stream()
        .filter(w -> !handled.contains(w.id()))
        .filter(w -> w.start().isAfter(handledUntil) || fireAt(w).isAfter(handledUntil))
        .min(Comparator.comparing(this::fireAt).thenComparing(CalendarWindow::id))
        .orElse(null);
  }

  private void handle(CalendarWindow w) {
    CalendarWindow result;
    if (!w.start().isAfter(Clock.now())) {
      result = w.with("MISSED", null, "its time passed before it could be opened");
      windowsSkipped++;
    } else if (paused) {
      result = w.with("PAUSED", null, "the calendar is paused");
      windowsSkipped++;
    } else if (Slots.blackedOut(blackouts, w.start(), Slots.zoneOf(rules, w))) {
      result = w.with("BLACKED_OUT", null, "a blackout date");
      windowsSkipped++;
    } else if (Slots.MONTHLY.equals(w.kind())) {
      result = startMonthly(w);
    } else {
      result = startFast(w);
    }
    record(result);
    if (!result.state().equals("STARTED")) {
      new WindowMetrics(environment, DowntimeCalendarWorkflow.TYPE)
          .window(result.state().toLowerCase(java.util.Locale.ROOT));
    }
    log.info(
        "Calendar of {}: {} {} — {}{}",
        environment,
        w.kind(),
        w.start(),
        result.state(),
        result.note() == null ? "" : " (" + result.note() + ")");
  }

  private CalendarWindow startFast(CalendarWindow w) {
    ResolvedPatches pending;
    try {
      pending = db.resolvePatches(environment, List.of());
    } catch (RuntimeException e) {
      windowsSkipped++;
      return w.with(
          "FAILED", null, "cannot resolve the patches: " + WindowFailures.of(e).message());
    }
    if (pending.cold().isEmpty()) {
      windowsSkipped++;
      return w.with("NOTHING_TO_DEPLOY", null, "no pending cold patch");
    }
    String id = FastDowntimeWorkflow.workflowId(environment, w.start());
    FastDowntimeWorkflow child =
        Workflow.newChildWorkflowStub(FastDowntimeWorkflow.class, childOptions(id));
    Promise<FastDowntimeResult> done =
        Async.function(
            child::run, new FastDowntimeRequest(environment, w.start().toString(), List.of()));
    return launched(
        w,
        id,
        Workflow.getWorkflowExecution(child),
        done.handle(
            (r, e) ->
                outcome(
                    e == null ? r.outcome().name() : "FAILED",
                    e == null ? r.message() : WindowFailures.of(e).message())),
        pending.cold().size() + " pending cold patch(es)");
  }

  private CalendarWindow startMonthly(CalendarWindow w) {
    String id = MonthlyDowntimeWorkflow.workflowId(environment, w.start());
    MonthlyDowntimeWorkflow child =
        Workflow.newChildWorkflowStub(MonthlyDowntimeWorkflow.class, childOptions(id));
    Promise<MonthlyDowntimeWorkflow.MonthlyResult> done =
        Async.function(
            child::run,
            new MonthlyDowntimeRequest(
                environment,
                w.start().toString(),
                w.backup().toString(),
                null,
                List.of(),
                List.of()));
    return launched(
        w,
        id,
        Workflow.getWorkflowExecution(child),
        done.handle(
            (r, e) ->
                outcome(
                    e == null ? r.outcome().name() : "FAILED",
                    e == null ? r.message() : WindowFailures.of(e).message())),
        "main " + w.start() + ", backup " + w.backup());
  }

  private static ChildWorkflowOptions childOptions(String id) {
    // The windows outlive a calendar run (continue-as-new) and must survive its end: they are
    // abandoned, not owned.
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .build();
  }

  private record Outcome(String state, String note) {}

  private static Outcome outcome(String state, String note) {
    return new Outcome(state, note);
  }

  private CalendarWindow launched(
      CalendarWindow w, String id, Promise<?> start, Promise<Outcome> end, String note) {
    try {
      start.get();
    } catch (RuntimeException e) {
      windowsSkipped++;
      return w.with("FAILED", id, "could not start " + id + ": " + WindowFailures.of(e).message());
    }
    windowsRun++;
    started.put(w.id(), id);
    end.thenApply(
        o -> {
          replace(w.id(), h -> h.with(o.state(), id, o.note()));
          return null;
        });
    return w.with("STARTED", id, note);
  }

  private void record(CalendarWindow w) {
    history.add(w);
    if (history.size() > HISTORY) {
      history.remove(0);
    }
  }

  private void replace(String id, java.util.function.UnaryOperator<CalendarWindow> change) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).id().equals(id)) {
        history.set(i, change.apply(history.get(i)));
        return;
      }
    }
  }

  /** Forgets what can no longer come back: windows and decisions more than 60 days old. */
  private void prune() {
    Instant horizon = handledUntil.minus(Duration.ofDays(60));
    handled.removeIf(id -> startOf(id).isBefore(horizon));
    cancelled.removeIf(id -> startOf(id).isBefore(horizon));
    moved.entrySet().removeIf(e -> e.getValue().isBefore(horizon));
    started.keySet().removeIf(id -> startOf(id).isBefore(horizon) && !moved.containsKey(id));
    added.removeIf(w -> w.start().isBefore(horizon));
  }

  private static Instant startOf(String id) {
    return Instant.parse(id.substring(id.indexOf('@') + 1));
  }

  private CalendarState snapshot() {
    return new CalendarState(
        handledUntil,
        List.copyOf(added),
        List.copyOf(cancelled),
        Map.copyOf(moved),
        Map.copyOf(started),
        List.copyOf(blackouts),
        paused,
        List.copyOf(history),
        windowsRun,
        windowsSkipped,
        generation);
  }

  // ---- updates
  // -------------------------------------------------------------------------------------------

  /**
   * In validators: who asks is checked at once, or by the handler while the calendar is still
   * loading its policy.
   */
  private void requireAllowed(CalendarChange c) {
    if (c != null && c.invalid() != null) {
      throw new IllegalArgumentException(c.invalid());
    }
    if (c == null || c.by() == null || c.by().isBlank()) {
      throw new IllegalArgumentException("the payload needs \"by\"");
    }
    if (policy != null && !policy.canAbort(c.by())) {
      throw new IllegalArgumentException(refusal(c));
    }
  }

  /** In handlers: a change that arrived before the policy was loaded is judged once it is. */
  private void awaitAllowed(CalendarChange c) {
    Workflow.await(() -> policy != null);
    if (!policy.canAbort(c.by())) {
      throw ApplicationFailure.newNonRetryableFailure(refusal(c), FailureType.BAD_INPUT.name());
    }
  }

  private static String refusal(CalendarChange c) {
    return c.by() + " may not change the calendar (not an approver or sign-off approver)";
  }

  private static Instant time(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "\"" + field + "\" must be an ISO-8601 time with an offset (got \"" + text + "\")");
    }
  }

  private CalendarWindow find(Instant start) {
    return effective(start.minusSeconds(1), start).stream()
        .filter(w -> w.start().equals(start))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no window starts at " + start));
  }

  private void requireFree(String kind, Instant start, String except) {
    Instant now = Clock.now();
    if (!start.isAfter(now)) {
      throw new IllegalArgumentException(start + " is in the past");
    }
    for (CalendarWindow w :
        effective(start.minus(Duration.ofDays(1)), start.plus(Duration.ofDays(1)))) {
      Duration gap = Duration.between(w.start(), start).abs();
      Duration needed = Slots.length(w.start().isBefore(start) ? w.kind() : kind);
      if (!w.id().equals(except) && gap.compareTo(needed) < 0) {
        throw new IllegalArgumentException(
            kind + " window at " + start + " would overlap " + w.id());
      }
    }
  }

  /** A window whose downtime was started (and so announced) changes only with 24 h notice. */
  private void requireNotice(CalendarWindow w, Instant... times) {
    if (handled.contains(w.id()) && !started.containsKey(w.id())) {
      throw new IllegalArgumentException(w.id() + " was already handled (" + w.start() + ")");
    }
    if (started.containsKey(w.id())) {
      for (Instant t : times) {
        if (Duration.between(Clock.now(), t).compareTo(NOTICE) < 0) {
          throw new IllegalArgumentException(
              w.id()
                  + " is announced ("
                  + started.get(w.id())
                  + "): it cannot change"
                  + " with less than 24 h notice ("
                  + t
                  + ")");
        }
      }
    }
  }

  @Override
  public void validateAddWindow(CalendarChange c) {
    requireAllowed(c);
    String kind = c.kind() == null ? Slots.FAST : c.kind().toUpperCase(java.util.Locale.ROOT);
    if (!kind.equals(Slots.FAST) && !kind.equals(Slots.MONTHLY)) {
      throw new IllegalArgumentException("\"kind\" is FAST or MONTHLY");
    }
    requireFree(kind, time("start", c.start()), null);
  }

  @Override
  public CalendarWindow addWindow(CalendarChange c) {
    awaitAllowed(c);
    String kind = c.kind() == null ? Slots.FAST : c.kind().toUpperCase(java.util.Locale.ROOT);
    Instant start = time("start", c.start());
    CalendarWindow w =
        new CalendarWindow(
            "ADDED-" + Slots.id(kind, start),
            kind,
            start,
            backupFor(kind, start),
            "SCHEDULED",
            null,
            "added by " + c.by());
    added.add(w);
    changed = true;
    return w;
  }

  @Override
  public void validateCancelWindow(CalendarChange c) {
    requireAllowed(c);
    CalendarWindow w = find(time("start", c.start()));
    requireNotice(w, w.start());
  }

  @Override
  public CalendarWindow cancelWindow(CalendarChange c) {
    awaitAllowed(c);
    CalendarWindow w = find(time("start", c.start()));
    cancelled.add(w.id());
    String child = started.remove(w.id());
    if (child != null) {
      Workflow.newUntypedExternalWorkflowStub(child).cancel();
    }
    CalendarWindow out = w.with("CANCELLED", child, "cancelled by " + c.by());
    record(out);
    changed = true;
    return out;
  }

  @Override
  public void validateMoveWindow(CalendarChange c) {
    requireAllowed(c);
    CalendarWindow w = find(time("start", c.start()));
    Instant to = time("newStart", c.newStart());
    requireNotice(w, w.start(), to);
    requireFree(w.kind(), to, w.id());
  }

  @Override
  public CalendarWindow moveWindow(CalendarChange c) {
    awaitAllowed(c);
    CalendarWindow w = find(time("start", c.start()));
    Instant to = time("newStart", c.newStart());
    String child = started.remove(w.id());
    if (child != null) {
      Workflow.newUntypedExternalWorkflowStub(child).cancel();
      handled.remove(w.id()); // opened again at its new time
    }
    moved.put(w.id(), to);
    changed = true;
    return new CalendarWindow(
        w.id(), w.kind(), to, backupFor(w.kind(), to), "SCHEDULED", null, "moved by " + c.by());
  }

  @Override
  public void validateAddBlackout(CalendarChange c) {
    requireAllowed(c);
    Slots.range(blackout(c));
  }

  @Override
  public String addBlackout(CalendarChange c) {
    awaitAllowed(c);
    blackouts.add(blackout(c));
    changed = true;
    return blackout(c);
  }

  @Override
  public void validateRemoveBlackout(CalendarChange c) {
    requireAllowed(c);
    if (!blackouts.contains(blackout(c))) {
      throw new IllegalArgumentException("no blackout " + blackout(c) + "; there are " + blackouts);
    }
  }

  @Override
  public String removeBlackout(CalendarChange c) {
    awaitAllowed(c);
    blackouts.remove(blackout(c));
    changed = true;
    return blackout(c);
  }

  private static String blackout(CalendarChange c) {
    if (c.from() == null) {
      throw new IllegalArgumentException("the payload needs \"from\" (and \"to\" for a range)");
    }
    return c.to() == null || c.to().equals(c.from()) ? c.from() : c.from() + ".." + c.to();
  }

  @Override
  public void validatePause(CalendarChange c) {
    requireAllowed(c);
    if (paused) {
      throw new IllegalArgumentException("already paused");
    }
  }

  @Override
  public String pause(CalendarChange c) {
    awaitAllowed(c);
    paused = true;
    changed = true;
    return "paused by " + c.by();
  }

  @Override
  public void validateResume(CalendarChange c) {
    requireAllowed(c);
    if (!paused) {
      throw new IllegalArgumentException("not paused");
    }
  }

  @Override
  public String resume(CalendarChange c) {
    awaitAllowed(c);
    paused = false;
    changed = true;
    return "resumed by " + c.by();
  }

  // ---- query
  // -----------------------------------------------------------------------------------------------

  @Override
  public CalendarView upcoming(int count) {
    int n = Math.max(1, Math.min(count, 1000));
    Instant now = Clock.now();
    List<CalendarWindow> out = new ArrayList<>();
    Instant from = now;
    Instant limit = now.plus(Duration.ofDays(rules.horizonDays()));
    while (out.size() < n && from.isBefore(limit)) {
      Instant to = from.plus(Duration.ofDays(31));
      for (CalendarWindow w : effective(from, to)) {
        if (out.size() >= n) {
          break;
        }
        String state =
            started.containsKey(w.id())
                ? "STARTED"
                : handled.contains(w.id())
                    ? "HANDLED"
                    : paused
                        ? "PAUSED"
                        : Slots.blackedOut(blackouts, w.start(), Slots.zoneOf(rules, w))
                            ? "BLACKED_OUT"
                            : "SCHEDULED";
        out.add(w.with(state, started.get(w.id()), w.note()));
      }
      from = to;
    }
    int recent = Math.min(history.size(), 20);
    return new CalendarView(
        environment,
        paused,
        List.copyOf(blackouts),
        out,
        List.copyOf(history.subList(history.size() - recent, history.size())),
        windowsRun,
        windowsSkipped,
        generation);
  }
}
