package org.fastdowntime.downtime;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.Stage;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * What a downtime workflow says about itself: its stage (also the DowntimeStage search attribute),
 * its timeline (also the current details shown in the UI, and the log), and the outage core's
 * progress.
 */
public final class Journal<S extends Enum<S> & Stage> implements OutageCore.Progress {
    private final Logger log;
    /** The stage the workflow is in while the outage core runs each of its steps. */
    private final java.util.function.Function<OutageCore.Step, S> stageOf;

    private final List<TimelineEvent> timeline = new ArrayList<>();
    private S stage;
    /** What notes are labeled with when it is not the stage: the steps after an outage, before the stage moves on. */
    private S label;

    /**
     * @param preflightStage the workflow's stage while the outage core runs its preflight
     * @param outageStage and while it runs the outage: said by the workflow, not matched by name
     */
    public Journal(S initialStage, S preflightStage, S outageStage, Logger log) {
        this.stage = initialStage;
        this.stageOf = step -> step == OutageCore.Step.PREFLIGHT ? preflightStage : outageStage;
        this.log = log;
    }

    public S stage() {
        return stage;
    }

    /** Whether the workflow has ended (its stage is terminal). */
    public boolean ended() {
        return stage.terminal();
    }

    public void stage(S s) {
        stage = s;
        label = null;
        Workflow.upsertTypedSearchAttributes(DowntimeSearchAttributes.STAGE.valueSet(s.name()));
    }

    public void event(S s, String text) {
        event(s, null, text);
    }

    /** An event that tools find by its {@code code}. */
    public void event(S s, EventCode code, String text) {
        timeline.add(new TimelineEvent(Clock.now(), s.name(), text, code));
        log.info("[{}] {}", s, text);
        Workflow.setCurrentDetails("**" + s + "** — " + text);
    }

    /**
     * The workflow ends at {@code terminal}: its stage, and why, as the last timeline event (so also the current
     * details the UI shows for the finished window).
     */
    public void end(S terminal, String why) {
        stage(terminal);
        event(terminal, why);
    }

    /** An event at the current stage. */
    public void note(String text) {
        event(label != null ? label : stage, text);
    }

    /** An event at the current stage that tools find by its {@code code}. */
    public void note(EventCode code, String text) {
        event(label != null ? label : stage, code, text);
    }

    /**
     * Labels the notes from now on {@code s} while the stage stays (a label is no command: replay is unchanged),
     * until the stage moves: what follows the outage reads as after it, not as part of it.
     */
    public void labelNotes(S s) {
        label = s;
    }

    /** The outage core enters a stage and says why. */
    @Override
    public void accept(OutageCore.Step step, EventCode code, String text) {
        S s = stageOf.apply(step);
        stage(s);
        event(s, code, text);
    }

    /** A step the outage activity timed itself, kept with its own timestamp. */
    @Override
    public void record(TimelineEvent step) {
        timeline.add(step);
        log.info("[{}] {}", step.stage(), step.message());
    }

    /**
     * Runs quiesce/resume hooks; what each did, or that they failed, goes on the timeline (never
     * fails the window).
     */
    public void hooks(String what, Supplier<List<String>> hooks) {
        try {
            hooks.get().forEach(this::note);
        } catch (RuntimeException e) {
            note(what + " hooks failed: " + WindowFailures.of(e).message());
        }
    }

    public List<TimelineEvent> timeline() {
        return List.copyOf(timeline);
    }

    /** Sets the DowntimeWindow search attribute. */
    public static void window(Instant start) {
        Workflow.upsertTypedSearchAttributes(
                DowntimeSearchAttributes.WINDOW.valueSet(OffsetDateTime.ofInstant(start, ZoneOffset.UTC)));
    }
}
