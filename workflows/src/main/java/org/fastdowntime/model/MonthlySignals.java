package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The monthly process's signal payloads; every one names who sends it ({@code by}). Decoded
 * leniently.
 */
public final class MonthlySignals {
    private MonthlySignals() {}

    /** {@code confirmWindow {party, by}} and {@code proposeWindow {party, by, main, backup}}. */
    public record Window(String party, String by, String main, String backup) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Window decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new Window(f.text("party"), f.text("by"), f.text("main"), f.text("backup"));
        }

        public String invalid() {
            return Lenient.first(party, by, main, backup);
        }
    }

    /** {@code qaOk {revision, by}} and {@code ciBlessed {revision, by}}. */
    public record Revision(String revision, String by, String note) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Revision decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new Revision(f.text("revision"), f.text("by"), f.text("note"));
        }

        public String invalid() {
            return Lenient.first(revision, by, note);
        }
    }

    /** {@code approveLanding {commit, by}}. */
    public record Landing(String commit, String by) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Landing decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new Landing(f.text("commit"), f.text("by"));
        }

        public String invalid() {
            return Lenient.first(commit, by);
        }
    }

    /** {@code qastagingOk {by}}. */
    public record By(String by, String note) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static By decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new By(f.text("by"), f.text("note"));
        }

        public String invalid() {
            return Lenient.first(by, note);
        }
    }

    /**
     * {@code cowboy {name, by, state}}: state {@code outstanding}, {@code landed} or {@code reapply}.
     */
    public record Cowboy(String name, String by, String state) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Cowboy decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new Cowboy(f.text("name"), f.text("by"), f.text("state"));
        }

        public String invalid() {
            return Lenient.first(name, by, state);
        }
    }

    /** {@code reportIssue {summary, by}}. */
    public record Issue(String summary, String by) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Issue decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new Issue(f.text("summary"), f.text("by"));
        }

        public String invalid() {
            return Lenient.first(summary, by);
        }
    }

    /** {@code backOut {revision, by, reason}}: a lead backs a merged (or pending) db-stable revision out. */
    public record BackOut(String revision, String by, String reason) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static BackOut decode(JsonNode n) {
            Lenient.Fields f = Lenient.fields(n);
            return new BackOut(f.text("revision"), f.text("by"), f.text("reason"));
        }

        public String invalid() {
            return Lenient.first(revision, by, reason);
        }
    }
}
