package org.fastdowntime.sandbox;

import com.google.inject.Guice;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.fastdowntime.calendar.DowntimeCalendarWorkflow;
import org.fastdowntime.calendar.Slots;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaState;
import org.fastdowntime.time.Durations;
import org.fastdowntime.worker.WorkerModule;
import org.fastdowntime.worker.WorkerRuntime;
import org.fastdowntime.worker.config.WorkerConfig;

/**
 * The calendar and the fast-downtime workflow over months of simulated time: Temporal's
 * time-skipping test service, the real worker and activities, and a real database. Patches land at
 * random (seeded) times in working hours, QA approves each after a random (seeded) delay in the
 * environment's approval ledger, and the calendar's windows apply them; what comes out is the lead time of every patch, landing to
 * applied.
 */
public final class Simulation {
    static final String ENVIRONMENT = "sim";
    static final String QA = "qa-sim";
    private static final String QUEUE = "fastdowntime-simulation";
    private static final LocalTime WORK_START = LocalTime.of(9, 0);
    private static final LocalTime WORK_END = LocalTime.of(17, 0);

    /** Windows keep being run this long after the last landing, so late patches are applied too. */
    private static final Duration DRAIN = Duration.ofDays(14);

    /**
     * @param from where simulated time begins; with the seed, it makes a run repeatable
     */
    record Settings(
            Instant from,
            int days,
            List<CalendarRules.FastSlot> slots,
            double patchesPerWeek,
            Duration qaMax,
            long seed,
            List<String> blackouts,
            String fastLead) {}

    record Patch(String id, Instant landed, Instant approved, Instant applied, String window) {
        double leadHours() {
            return applied == null
                    ? Double.NaN
                    : Duration.between(landed, applied).toMillis() / 3_600_000.0;
        }
    }

    record Window(
            String id,
            Instant start,
            String state,
            String workflowId,
            List<String> applied,
            Long outageMillis,
            String note) {}

    record Result(
            Settings settings,
            Instant from,
            Instant to,
            List<Patch> patches,
            List<Window> windows,
            Summary calendarHours,
            Summary workingHours,
            Map<String, Integer> windowStates,
            int windowsRun,
            int windowsSkipped,
            int unapplied) {}

    private sealed interface Event permits Landing, Approval, WindowEnds {
        Instant at();
    }

    private record Landing(Instant at, int patch) implements Event {}

    private record Approval(Instant at, int patch) implements Event {}

    private record WindowEnds(Instant at, CalendarWindow window) implements Event {}

    private final Settings settings;
    private final ScratchDatabase db;
    private final Path folder;
    private final CalendarRules rules;
    private final ZoneId zone;
    private final WorkingTime workingTime;
    private TestWorkflowEnvironment env;
    private final List<String> ids = new ArrayList<>();
    private final List<Instant> landed = new ArrayList<>();
    private final List<Instant> approved = new ArrayList<>();
    private final Map<String, Instant> applied = new LinkedHashMap<>();
    private final Map<String, String> appliedBy = new LinkedHashMap<>();
    private final List<Window> windows = new ArrayList<>();

    Simulation(Settings settings, ScratchDatabase db, Path folder) {
        this.settings = settings;
        this.db = db;
        this.folder = folder;
        this.rules =
                new CalendarRules(settings.slots(), List.of(), settings.blackouts(), settings.fastLead(), null, null);
        Slots.validate(rules);
        this.zone = ZoneId.of(settings.slots().get(0).zone());
        this.workingTime = new WorkingTime(zone, settings.blackouts());
    }

    Result run() throws Exception {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(true)
                .setInitialTime(settings.from())
                .build());
        try {
            DowntimeSearchAttributes.types().forEach(env::registerSearchAttribute);
            Worker worker = env.getWorkerFactory().newWorker(QUEUE, WorkerRuntime.workerOptions());
            WorkerConfig config = new WorkerConfig(
                    org.fastdowntime.worker.TemporalSettings.of(null, "default", QUEUE),
                    Map.of(ENVIRONMENT, environment()));
            WorkerRuntime.register(worker, Guice.createInjector(new WorkerModule(config)));
            env.start();
            return simulate();
        } finally {
            env.close();
        }
    }

    private EnvironmentSettings environment() {
        return EnvironmentSettings.builder(ENVIRONMENT, db.url.replaceAll("\\?.*$", ""))
                .patches(folder)
                .approvers(List.of(QA))
                .signOffApprovers(List.of("rm-sim"))
                .checkSql("SELECT count(*) FROM bug")
                .build();
    }

    private Result simulate() throws Exception {
        Instant from = now();
        Instant to = from.plus(Duration.ofDays(settings.days()));
        DowntimeCalendarWorkflow calendar = startCalendar();
        PriorityQueue<Event> events = new PriorityQueue<>(Comparator.comparing(Event::at));
        plan(from, to, events);
        Duration lead = Durations.parse(settings.fastLead());
        for (CalendarWindow w : Slots.between(rules, from, to.plus(DRAIN))) {
            if (w.start().minus(lead).isAfter(from)) {
                events.add(new WindowEnds(w.start().plus(Duration.ofMinutes(15)), w));
            }
        }
        while (!events.isEmpty()) {
            Event e = events.poll();
            if (!e.at().isBefore(to) && allApplied()) {
                break;
            }
            sleepUntil(e.at());
            if (e instanceof Landing l) {
                land(l.patch());
            } else if (e instanceof Approval a) {
                approve(a.patch());
            } else if (e instanceof WindowEnds x) {
                ends(calendar, x.window());
            }
        }
        return result(from, calendar.upcoming(1));
    }

    /** The environment's calendar, started and running. */
    private DowntimeCalendarWorkflow startCalendar() {
        WorkflowClient client = env.getWorkflowClient();
        String calendarId = org.fastdowntime.calendar.DowntimeCalendarWorkflow.workflowId(ENVIRONMENT);
        DowntimeCalendarWorkflow calendar = client.newWorkflowStub(
                DowntimeCalendarWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(calendarId)
                        .build());
        WorkflowClient.start(calendar::run, new CalendarRequest(ENVIRONMENT, rules, null));
        calendar = client.newWorkflowStub(DowntimeCalendarWorkflow.class, calendarId);
        calendar.upcoming(1);
        return calendar;
    }

    /** Every patch's lead time, the windows, and their summaries. */
    private Result result(Instant from, org.fastdowntime.model.CalendarView view) {
        List<Patch> patches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            patches.add(new Patch(
                    ids.get(i), landed.get(i), approved.get(i), applied.get(ids.get(i)), appliedBy.get(ids.get(i))));
        }
        List<Patch> done = patches.stream().filter(p -> p.applied() != null).toList();
        Map<String, Integer> states = new LinkedHashMap<>();
        windows.forEach(w -> states.merge(w.state(), 1, Integer::sum));
        return new Result(
                settings,
                from,
                now(),
                patches,
                List.copyOf(windows),
                Summary.of(done.stream().mapToDouble(Patch::leadHours).toArray()),
                Summary.of(done.stream()
                        .mapToDouble(p -> workingTime.hours(p.landed(), p.applied()))
                        .toArray()),
                states,
                view.windowsRun(),
                view.windowsSkipped(),
                patches.size() - done.size());
    }

    /**
     * Landing times (weekdays, working hours, not blacked out) and QA delays, all from one seeded
     * generator.
     */
    private void plan(Instant from, Instant to, PriorityQueue<Event> events) {
        Random random = new Random(settings.seed());
        List<LocalDate> workdays = new ArrayList<>();
        for (LocalDate d = from.atZone(zone).toLocalDate();
                d.isBefore(to.atZone(zone).toLocalDate());
                d = d.plusDays(1)) {
            if (workingTime.working(d)) {
                workdays.add(d);
            }
        }
        int count = (int) Math.round(settings.patchesPerWeek() * settings.days() / 7.0);
        List<Instant> times = new ArrayList<>();
        int minutes = (int) Duration.between(WORK_START, WORK_END).toMinutes();
        while (times.size() < count && !workdays.isEmpty()) {
            LocalDate d = workdays.get(random.nextInt(workdays.size()));
            Instant t = ZonedDateTime.of(d, WORK_START.plusMinutes(random.nextInt(minutes)), zone)
                    .toInstant();
            if (t.isAfter(from) && t.isBefore(to)) {
                times.add(t);
            }
        }
        times.sort(Comparator.naturalOrder());
        for (int i = 0; i < times.size(); i++) {
            ids.add(String.format("%04d-%02d-0", 2301 + i / 99, i % 99 + 1));
            landed.add(times.get(i));
            Duration qa = Duration.ofSeconds(
                    60 + (long) (random.nextDouble() * (settings.qaMax().toSeconds() - 60)));
            approved.add(times.get(i).plus(qa));
            events.add(new Landing(times.get(i), i));
            events.add(new Approval(times.get(i).plus(qa), i));
        }
    }

    /** Patch {@code i} lands: its file appears in the folder. */
    private void land(int i) throws IOException {
        Files.writeString(
                folder.resolve("patch-" + ids.get(i) + ".sql"), SimulatedPatch.sql(ids.get(i), landed.get(i)));
    }

    /**
     * QA approves patch {@code i} in the environment's approval ledger, when QA is done with it: whichever window
     * holds it then or later counts the approval, without QA knowing which.
     */
    private void approve(int i) {
        Ledgers.record(
                Ledgers.ensure(env.getWorkflowClient(), ENVIRONMENT, QUEUE),
                new LedgerRequest(
                        "qaOk", QA, "simulated QA", List.of(new LedgerItem(ids.get(i), null, null, null)), null));
    }

    private void ends(DowntimeCalendarWorkflow calendar, CalendarWindow w) {
        CalendarWindow recorded = recorded(calendar, w);
        String child = recorded == null ? null : recorded.workflowId();
        if (child == null) {
            windows.add(new Window(
                    w.id(),
                    w.start(),
                    recorded == null ? "UNKNOWN" : recorded.state().name(),
                    null,
                    List.of(),
                    null,
                    recorded == null ? null : recorded.note()));
            return;
        }
        FastDowntimeWorkflow stub = env.getWorkflowClient().newWorkflowStub(FastDowntimeWorkflow.class, child);
        FastDowntimeStatus s = stub.status();
        for (int tries = 0; tries < 60 && !s.stage().terminal(); tries++) {
            env.sleep(Duration.ofMinutes(1));
            s = stub.status();
        }
        List<String> done = new ArrayList<>();
        for (PatchQaStatus p : s.patches()) {
            if (p.state() == QaState.APPLIED) {
                String id = p.id().toString();
                done.add(id);
                applied.put(
                        id,
                        s.windowStart()
                                .plusMillis(s.outage() == null ? 0 : s.outage().outageMillis()));
                appliedBy.put(id, child);
            }
        }
        windows.add(new Window(
                w.id(),
                w.start(),
                s.stage().name(),
                child,
                done,
                s.outage() == null ? null : s.outage().outageMillis(),
                s.message()));
    }

    private CalendarWindow recorded(DowntimeCalendarWorkflow calendar, CalendarWindow w) {
        return calendar.upcoming(1).recent().stream()
                .filter(r -> r.id().equals(w.id()))
                .findFirst()
                .orElse(null);
    }

    private boolean allApplied() {
        return applied.size() == ids.size();
    }

    private Instant now() {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }

    private void sleepUntil(Instant t) {
        Duration d = Duration.between(now(), t);
        if (!d.isNegative() && !d.isZero()) {
            env.sleep(d);
        }
    }
}
