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

/** DowntimeCalendar on the time-skipping test service, with the real activities on a real database. */
class DowntimeCalendarWorkflowTest {
  @RegisterExtension final TestDatabase db = new TestDatabase();
  @TempDir Path patches;
  WindowFixture w;

  @BeforeEach
  void world() throws Exception {
    w = new WindowFixture(db, patches);
    // Only the baseline: nothing pending, so fast slots have nothing to deploy unless a test adds a patch.
    try (var files = Files.list(patches)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("patch-")).toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    w.close();
  }

  private DowntimeCalendarWorkflow start(String id, CalendarRules rules) {
    DowntimeCalendarWorkflow cal = w.client().newWorkflowStub(DowntimeCalendarWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(WindowFixture.QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(cal::run, new CalendarRequest("test", rules, null));
    return w.client().newWorkflowStub(DowntimeCalendarWorkflow.class, id);
  }

  private static CalendarRules weekdays(String zone, List<String> blackouts) {
    return new CalendarRules(List.of(new CalendarRules.FastSlot("Mon-Fri", "08:30", zone)), List.of(), blackouts,
        null, null, null);
  }

  private static CalendarChange by(String who, String start, String newStart) {
    return new CalendarChange(null, start, newStart, null, null, who);
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
    CalendarWindow skipped = cal.upcoming(1).recent().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    assertEquals("BLACKED_OUT", skipped.state());
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

    CalendarWindow added = cal.addWindow(new CalendarChange("FAST", first.plus(Duration.ofHours(3)).toString(), null, null, null, "alice"));
    assertEquals("FAST", added.kind());
    assertTrue(assertThrows(WorkflowUpdateException.class, () -> cal.addWindow(new CalendarChange("FAST",
        first.plus(Duration.ofMinutes(2)).toString(), null, null, null, "alice"))).getCause().getMessage().contains("overlap"));
    assertTrue(assertThrows(WorkflowUpdateException.class, () -> cal.addWindow(new CalendarChange("FAST",
        "2001-01-01T00:00:00Z", null, null, null, "alice"))).getCause().getMessage().contains("in the past"));
    assertTrue(assertThrows(WorkflowUpdateException.class, () -> cal.addWindow(new CalendarChange("FAST",
        first.plus(Duration.ofHours(5)).toString(), null, null, null, "mallory"))).getCause().getMessage()
        .contains("mallory may not change the calendar"));
    CalendarWindow moved = cal.moveWindow(by("bob", second.toString(), second.plus(Duration.ofHours(2)).toString()));
    assertEquals(second.plus(Duration.ofHours(2)), moved.start());
    cal.cancelWindow(by("bob", next.get(2).start().toString(), null));
    List<Instant> after = cal.upcoming(10).upcoming().stream().map(CalendarWindow::start).toList();
    assertTrue(after.contains(second.plus(Duration.ofHours(2))) && !after.contains(second));
    assertFalse(after.contains(next.get(2).start()));
    assertTrue(after.contains(first.plus(Duration.ofHours(3))));

    // A pending patch: the first slot's FastDowntime starts 4 h ahead, and the window is then announced.
    Files.copy(TestDatabase.demoPatches().resolve("patch-2300-01-0.sql"), patches.resolve("patch-2300-01-0.sql"));
    w.env.sleep(Duration.between(w.now(), first.minus(Duration.ofHours(3))));
    CalendarView view = cal.upcoming(3);
    CalendarWindow announced = view.upcoming().get(0);
    assertEquals("STARTED", announced.state(), view.toString());
    assertTrue(announced.workflowId().startsWith("fast-downtime-test-"));
    WorkflowUpdateException late = assertThrows(WorkflowUpdateException.class,
        () -> cal.moveWindow(by("bob", first.toString(), first.plus(Duration.ofDays(3)).toString())));
    assertTrue(late.getCause().getMessage().contains("less than 24 h notice"), late.getCause().getMessage());
    assertThrows(WorkflowUpdateException.class, () -> cal.cancelWindow(by("bob", first.toString(), null)));
  }
}
