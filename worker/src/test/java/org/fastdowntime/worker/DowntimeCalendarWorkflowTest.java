package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fastdowntime.calendar.DowntimeCalendarWorkflow;
import org.fastdowntime.calendar.DowntimeCalendarWorkflowImpl;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DowntimeCalendar on the time-skipping test service, with the real activities on a real database.
 */
class DowntimeCalendarWorkflowTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        // Only the baseline: nothing pending, so fast slots have nothing to deploy unless a test adds a
        // patch.
        try (var files = Files.list(patches)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("patch-"))
                    .toList()) {
                Files.delete(p);
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    private DowntimeCalendarWorkflow start(String id, CalendarRules rules) {
        DowntimeCalendarWorkflow cal = w.client()
                .newWorkflowStub(
                        DowntimeCalendarWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId(id)
                                .build());
        WorkflowClient.start(cal::run, new CalendarRequest("test", rules, null));
        return w.client().newWorkflowStub(DowntimeCalendarWorkflow.class, id);
    }

    private static CalendarRules weekdays(String zone, List<String> blackouts) {
        return new CalendarRules(
                List.of(new CalendarRules.FastSlot("Mon-Fri", "08:30", zone)), List.of(), blackouts, null, null, null);
    }

    private static CalendarChange by(String who, String start, String newStart) {
        return CalendarChange.moveWindow(start, newStart, who);
    }

    @Test
    void blackoutsAndPausesSkipSlotsAndSayWhy() throws Exception {
        w.start(true);
        Instant t0 = w.now();
        LocalDate day = t0.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2);
        while (day.getDayOfWeek().getValue() > 5) {
            day = day.plusDays(1);
        }
        DowntimeCalendarWorkflow cal = start("calendar-blackout", weekdays("UTC", List.of(day.toString())));
        cal.upcoming(1);
        w.env.sleep(Duration.between(t0, day.plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC)));
        String id = "FAST@" + day.atTime(8, 30).toInstant(ZoneOffset.UTC);
        CalendarWindow skipped = cal.upcoming(1).recent().stream()
                .filter(x -> x.id().equals(id))
                .findFirst()
                .orElseThrow();
        assertEquals(org.fastdowntime.model.WindowState.BLACKED_OUT, skipped.state());
    }

    @Test
    void localTimesHoldAcrossDaylightSaving() {
        w.start(true);
        DowntimeCalendarWorkflow cal = start("calendar-dst", weekdays("Europe/London", List.of()));
        List<CalendarWindow> next = cal.upcoming(400).upcoming();
        int year = w.now().atZone(ZoneOffset.UTC).getYear() + 1;
        // Summer time in the UK begins on the last Sunday of March.
        LocalDate change = LocalDate.of(year, 3, 31);
        while (change.getDayOfWeek() != DayOfWeek.SUNDAY) {
            change = change.minusDays(1);
        }
        Instant fridayBefore = change.minusDays(2).atTime(8, 30).toInstant(ZoneOffset.UTC);
        Instant mondayAfter = change.plusDays(1).atTime(7, 30).toInstant(ZoneOffset.UTC);
        assertTrue(next.stream().anyMatch(x -> x.start().equals(fridayBefore)), "08:30 GMT = 08:30 UTC");
        assertTrue(next.stream().anyMatch(x -> x.start().equals(mondayAfter)), "08:30 BST = 07:30 UTC");
    }

    @Test
    void changesAreValidatedAndAnnouncedWindowsNeed24HoursNotice() throws Exception {
        w.start(true);
        DowntimeCalendarWorkflow cal = start("calendar-changes", weekdays("UTC", List.of()));
        List<CalendarWindow> next = cal.upcoming(10).upcoming();
        Instant first = next.get(0).start();
        Instant second = next.get(1).start();

        CalendarWindow added = cal.addWindow(
                CalendarChange.addWindow("FAST", first.plus(Duration.ofHours(3)).toString(), "alice"));
        assertEquals(org.fastdowntime.model.WindowKind.FAST, added.kind());
        assertTrue(assertThrows(
                        WorkflowUpdateException.class,
                        () -> cal.addWindow(new CalendarChange(
                                "FAST", first.plus(Duration.ofMinutes(2)).toString(), null, null, null, "alice")))
                .getCause()
                .getMessage()
                .contains("overlap"));
        assertTrue(assertThrows(
                        WorkflowUpdateException.class,
                        () -> cal.addWindow(CalendarChange.addWindow("FAST", "2001-01-01T00:00:00Z", "alice")))
                .getCause()
                .getMessage()
                .contains("in the past"));
        assertTrue(assertThrows(
                        WorkflowUpdateException.class,
                        () -> cal.addWindow(new CalendarChange(
                                "FAST", first.plus(Duration.ofHours(5)).toString(), null, null, null, "mallory")))
                .getCause()
                .getMessage()
                .contains("mallory may not change the calendar"));
        CalendarWindow moved = cal.moveWindow(
                by("bob", second.toString(), second.plus(Duration.ofHours(2)).toString()));
        assertEquals(second.plus(Duration.ofHours(2)), moved.start());
        cal.cancelWindow(by("bob", next.get(2).start().toString(), null));
        List<Instant> after =
                cal.upcoming(10).upcoming().stream().map(CalendarWindow::start).toList();
        assertTrue(after.contains(second.plus(Duration.ofHours(2))) && !after.contains(second));
        assertFalse(after.contains(next.get(2).start()));
        assertTrue(after.contains(first.plus(Duration.ofHours(3))));

        // A pending patch: the first slot's FastDowntime starts 4 h ahead, and the window is then
        // announced.
        Files.copy(TestDatabase.demoPatches().resolve("patch-2300-01-0.sql"), patches.resolve("patch-2300-01-0.sql"));
        w.env.sleep(Duration.between(w.now(), first.minus(Duration.ofHours(3))));
        CalendarView view = cal.upcoming(3);
        CalendarWindow announced = view.upcoming().get(0);
        assertEquals(org.fastdowntime.model.WindowState.STARTED, announced.state(), view.toString());
        assertTrue(announced.workflowId().startsWith("fast-downtime-test-"));
        WorkflowUpdateException late = assertThrows(
                WorkflowUpdateException.class,
                () -> cal.moveWindow(by(
                        "bob", first.toString(), first.plus(Duration.ofDays(3)).toString())));
        assertTrue(
                late.getCause().getMessage().contains("less than 24 h notice"),
                late.getCause().getMessage());
        assertThrows(WorkflowUpdateException.class, () -> cal.cancelWindow(by("bob", first.toString(), null)));
        Histories.replayAndRecord(w.client(), "calendar-changes");
    }

    private static CalendarWindow recent(DowntimeCalendarWorkflow cal, String id) {
        return cal.upcoming(1).recent().stream()
                .filter(x -> x.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not among the recent windows: "
                        + cal.upcoming(1).recent()));
    }

    private static LocalDate weekday(LocalDate d) {
        while (d.getDayOfWeek().getValue() > 5) {
            d = d.plusDays(1);
        }
        return d;
    }

    private static Instant at(LocalDate d, int hour, int minute) {
        return d.atTime(hour, minute).toInstant(ZoneOffset.UTC);
    }

    private static CalendarChange change(String kind, String start, String newStart, String from) {
        return new CalendarChange(kind, start, newStart, from, null, "alice");
    }

    @Test
    void aYearOfWindowsWithContinueAsNewKeepsEveryChange() {
        w.start(true);
        Instant t0 = w.now();
        LocalDate today = t0.atZone(ZoneOffset.UTC).toLocalDate();
        CalendarRules rules = new CalendarRules(
                List.of(new CalendarRules.FastSlot("Mon-Fri", "08:30", "UTC")),
                List.of(new CalendarRules.MonthlyRule("second", "Tue", "22:00", "Europe/London", 2)),
                List.of(),
                null,
                null,
                null);
        DowntimeCalendarWorkflow cal = start("calendar-year", rules);
        long wall = System.nanoTime();
        // Changes made in the first run that take effect in later ones, after continue-as-new.
        LocalDate blackout = weekday(today.plusDays(150));
        LocalDate moved = weekday(today.plusDays(180));
        // Close enough to the moved one that both are still among the 20 recent windows at the end, whatever today is.
        LocalDate added = moved.plusDays(10);
        while (added.getDayOfWeek() != DayOfWeek.SATURDAY) {
            added = added.plusDays(1);
        }
        cal.addBlackout(change(null, null, null, blackout.toString()));
        cal.moveWindow(
                change(null, at(moved, 8, 30).toString(), at(moved, 12, 0).toString(), null));
        cal.addWindow(change("FAST", at(added, 14, 0).toString(), null, null));

        w.env.sleep(Duration.between(w.now(), at(blackout, 12, 0)));
        CalendarView mid = cal.upcoming(1);
        assertTrue(
                mid.generation() >= 1,
                "continued as new after "
                        + DowntimeCalendarWorkflowImpl.WINDOWS_PER_RUN
                        + " windows: "
                        + mid.generation());
        assertEquals(
                org.fastdowntime.model.WindowState.BLACKED_OUT,
                recent(cal, "FAST@" + at(blackout, 8, 30)).state());
        assertTrue(mid.blackouts().contains(blackout.toString()));

        w.env.sleep(Duration.between(w.now(), at(added, 15, 0)));
        CalendarWindow movedWindow = recent(cal, "FAST@" + at(moved, 8, 30));
        assertEquals(at(moved, 12, 0), movedWindow.start(), "moved in the first run, opened at its new time later");
        assertEquals(org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY, movedWindow.state());
        assertEquals(
                org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY,
                recent(cal, "ADDED-FAST@" + at(added, 14, 0)).state());

        w.env.sleep(Duration.between(w.now(), t0.plus(Duration.ofDays(366))));
        CalendarView end = cal.upcoming(1);
        Instant now = w.now();
        // Every window whose fire time came, and no other: the weekday slots (4 h ahead), the monthly
        // ones (8 days
        // ahead) and the added one.
        long expected = org.fastdowntime.calendar.Slots.between(rules, t0, now.plus(Duration.ofDays(8))).stream()
                        .filter(x -> x.kind() == org.fastdowntime.model.WindowKind.MONTHLY
                                ? !x.start().minus(Duration.ofDays(8)).isAfter(now)
                                : !x.start().minus(Duration.ofHours(4)).isAfter(now))
                        .count()
                + 1;
        assertEquals(expected, end.windowsRun() + end.windowsSkipped(), end.toString());
        long monthly = org.fastdowntime.calendar.Slots.between(rules, t0, now.plus(Duration.ofDays(8))).stream()
                .filter(x -> x.kind() == org.fastdowntime.model.WindowKind.MONTHLY
                        && !x.start().minus(Duration.ofDays(8)).isAfter(now))
                .count();
        assertTrue(monthly >= 12, "a MonthlyDowntime a month: " + monthly);
        assertEquals(
                monthly,
                end.windowsRun(),
                "only the monthly windows start a workflow: fast ones had nothing to deploy");
        assertTrue(end.generation() >= 2, "generation " + end.generation());
        System.out.printf(
                "A year of calendar: %d windows, %d runs, %.1f s of wall time%n",
                expected, end.generation() + 1, (System.nanoTime() - wall) / 1e9);
    }

    @Test
    void nothingToDeployStartsNoWindow() throws Exception {
        w.start(true);
        LocalDate day = weekday(w.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1));
        DowntimeCalendarWorkflow cal = start("calendar-empty", weekdays("UTC", List.of()));
        cal.upcoming(1);
        w.env.sleep(Duration.between(w.now(), at(day, 9, 0)));
        CalendarWindow slot = recent(cal, "FAST@" + at(day, 8, 30));
        assertEquals(org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY, slot.state());
        assertEquals(null, slot.workflowId());
        String wouldBe = "fast-downtime-test-" + day.toString().replace("-", "") + "T0830Z";
        assertThrows(
                io.grpc.StatusRuntimeException.class,
                () -> w.client()
                        .getWorkflowServiceStubs()
                        .blockingStub()
                        .describeWorkflowExecution(
                                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                                        .setNamespace("default")
                                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                                .setWorkflowId(wouldBe))
                                        .build()),
                "no FastDowntime was started");
        assertEquals(0, cal.upcoming(1).windowsRun());
    }

    /**
     * A release manager's week: a patch lands each day, QA approves it in the ledger, and the calendar's windows
     * apply them one after the other, each timing its patch on a staging the previous window brought up: no manual
     * step between them.
     */
    @Test
    void threeWindowsInARowApplyTheirPatchesWithStagingInStep() throws Exception {
        w.addStaging(Duration.ofSeconds(15));
        w.start(true);
        LocalDate day = weekday(w.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1));
        DowntimeCalendarWorkflow cal = start("calendar-three-in-a-row", weekdays("UTC", List.of()));
        cal.upcoming(1);
        var ledger = org.fastdowntime.ledger.Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE);
        for (String patch : List.of("2300-01-0", "2300-02-0", "2300-04-0")) {
            String file = "patch-" + patch + ".sql";
            Files.copy(TestDatabase.demoPatches().resolve(file), patches.resolve(file)); // it lands
            org.fastdowntime.ledger.Ledgers.record(
                    ledger, ApprovalLedgerTest.named(org.fastdowntime.model.LedgerWord.QA_OK, "alice", "fine", patch));
            w.env.sleep(Duration.between(w.now(), at(day, 9, 0)));
            CalendarWindow slot = recent(cal, "FAST@" + at(day, 8, 30));
            assertEquals(org.fastdowntime.model.WindowState.COMPLETED, slot.state(), patch + ": " + slot);
            int minor = Integer.parseInt(patch.substring(5, 7));
            assertEquals(1, count(db.url(), minor), patch + " applied");
            assertEquals(1, count(w.stagingUrl(), minor), patch + " followed on staging");
            day = weekday(day.plusDays(1));
        }
        assertEquals(3, cal.upcoming(1).windowsRun());
    }

    @Test
    void aCalendarOfAFleetOpensFleetWindowsAtItsSlots() throws Exception {
        String file = "patch-2300-02-0.sql";
        Files.copy(TestDatabase.demoPatches().resolve(file), patches.resolve(file));
        w.fleets.put(
                "shards",
                new org.fastdowntime.env.FleetSettings(
                        "shards",
                        "test",
                        List.of(new org.fastdowntime.env.FleetSettings.Member(
                                "m1", db.url().replaceAll("\\?.*$", ""))),
                        null,
                        null,
                        List.of(),
                        2,
                        org.fastdowntime.model.FailurePolicy.STOP,
                        org.fastdowntime.model.FleetMode.ATOMIC));
        w.start(true);
        LocalDate day = weekday(w.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1));
        DowntimeCalendarWorkflow cal =
                start("calendar-fleet", weekdays("UTC", List.of()).forFleet("shards"));
        cal.upcoming(1);
        org.fastdowntime.ledger.Ledgers.record(
                org.fastdowntime.ledger.Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE),
                ApprovalLedgerTest.named(org.fastdowntime.model.LedgerWord.QA_OK, "alice", "fleet QA", "2300-02-0"));
        w.env.sleep(Duration.between(w.now(), at(day, 9, 0)));

        CalendarWindow slot = recent(cal, "FAST@" + at(day, 8, 30));
        assertEquals(org.fastdowntime.model.WindowState.COMPLETED, slot.state(), slot.toString());
        assertTrue(slot.workflowId().startsWith("fleet-downtime-shards-"), slot.toString());
        assertEquals(1, count(db.url(), 2), "the fleet window applied 2300-02-0 on its member");
    }

    /** Whether the database at {@code url} recorded 2300-{@code minor}-0. */
    private static long count(String url, int minor) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url);
                var st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor = " + minor)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWorkerRestartMidCalendarLosesNothing() throws Exception {
        w.start(true);
        LocalDate thursday = w.now().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
        while (thursday.getDayOfWeek() != DayOfWeek.THURSDAY) {
            thursday = thursday.plusDays(1);
        }
        DowntimeCalendarWorkflow cal = start("calendar-restart", weekdays("UTC", List.of()));
        cal.upcoming(1);
        LocalDate tuesday = thursday.plusDays(5);
        cal.addBlackout(change(null, null, null, tuesday.toString()));
        w.env.sleep(Duration.between(w.now(), at(thursday, 12, 0)));
        assertEquals(
                org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY,
                recent(cal, "FAST@" + at(thursday, 8, 30)).state());
        int before = cal.upcoming(1).windowsSkipped();

        // The worker dies. The next timer (Friday's slot, 4 h ahead) fires with no worker to run the
        // calendar: the test
        // service holds its clock at that point until a worker takes the task.
        w.env.getWorkerFactory().shutdownNow();
        w.env.getWorkerFactory().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        Duration toWednesday = Duration.between(w.now(), at(thursday.plusDays(6), 12, 0));
        Thread later = new Thread(() -> w.env.sleep(toWednesday));
        later.start();
        Thread.sleep(2000);
        assertTrue(w.now().isBefore(at(thursday.plusDays(1), 8, 30)), "held at the fire time: " + w.now());

        // A new worker process: a new factory, a new injector, an empty workflow cache; the calendar
        // replays.
        io.temporal.worker.WorkerFactory factory = io.temporal.worker.WorkerFactory.newInstance(w.client());
        w.newWorker(factory);
        factory.start();
        try {
            later.join(120_000);
            assertFalse(later.isAlive(), "time moved on once a worker was back");
            CalendarView view = cal.upcoming(1);
            assertEquals(
                    org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY,
                    recent(cal, "FAST@" + at(thursday.plusDays(1), 8, 30)).state(),
                    "Friday's slot fired while no worker ran: handled when one came back");
            assertEquals(
                    org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY,
                    recent(cal, "FAST@" + at(thursday.plusDays(4), 8, 30)).state());
            assertEquals(
                    org.fastdowntime.model.WindowState.BLACKED_OUT,
                    recent(cal, "FAST@" + at(tuesday, 8, 30)).state(),
                    "the blackout added before" + " the restart holds");
            assertEquals(
                    org.fastdowntime.model.WindowState.NOTHING_TO_DEPLOY,
                    recent(cal, "FAST@" + at(thursday.plusDays(6), 8, 30)).state());
            assertEquals(before + 4, view.windowsSkipped(), view.toString());
            assertTrue(view.blackouts().contains(tuesday.toString()));
            Histories.replayAndRecord(w.client(), "calendar-restart");
        } finally {
            factory.shutdownNow();
        }
    }
}
