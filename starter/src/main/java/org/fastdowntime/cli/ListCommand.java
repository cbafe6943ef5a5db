package org.fastdowntime.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fastdowntime.activity.Json;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The downtime windows Temporal knows, newest first, with their environment, stage and outcome: a visibility query
 * over the search attributes every window sets. The embedded service has no visibility queries: there the open and
 * closed workflows are listed and filtered here.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "The downtime windows Temporal knows, newest first: id, environment, stage, outcome (DONE,"
                    + " NOTHING_APPLIED, SKIPPED, CANCELLED or the failure: ABORTED, PATCH_FAILED…), window time.",
            "On the real server this is a visibility query (the same as temporal workflow list --query …, printed"
                    + " with --print-query); the embedded service (dev-server) has none, so there the open and"
                    + " closed workflows are listed and filtered here."
        })
final class ListCommand implements Callable<Integer> {
    private static final List<String> WINDOW_TYPES = List.of(
            FastDowntimeWorkflow.TYPE, MonthlyDowntimeWorkflow.TYPE, org.fastdowntime.fleet.FleetDowntimeWorkflow.TYPE);

    @Option(names = "--environment", paramLabel = "ENV", description = "Only this environment's windows.")
    String environment;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only windows at this stage (DONE, FAILED, …).")
    String stage;

    @Option(
            names = "--outcome",
            paramLabel = "OUTCOME",
            description = "Only windows that ended so (DONE, NOTHING_APPLIED, SKIPPED, ABORTED, PATCH_FAILED…).")
    String outcome;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description = "FastDowntime, MonthlyDowntime or FleetDowntime (default: all three).")
    String type;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N windows (default 20).")
    int limit;

    @Option(names = "--json", description = "One JSON object per window.")
    boolean json;

    @Option(names = "--print-query", description = "Print the visibility query and list nothing.")
    boolean printQuery;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A window as listed. */
    record Listed(
            String workflowId,
            String type,
            String environment,
            String status,
            String stage,
            String outcome,
            Instant window,
            Instant started,
            Instant closed) {}

    @Override
    public Integer call() {
        List<String> types = types();
        if (limit < 1) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--limit must be at least 1, not " + limit);
        }
        String query = query(types);
        if (printQuery) {
            spec.commandLine().getOut().println(query);
            return 0;
        }
        WorkflowClient client = temporal.client();
        List<Listed> windows = temporal.call("(list)", () -> {
            try {
                return client.listExecutions(query)
                        .limit(limit)
                        .map(ListCommand::listed)
                        .toList();
            } catch (RuntimeException e) {
                if (unimplemented(e)) {
                    return null;
                }
                throw e;
            }
        });
        String said = null;
        if (windows == null) {
            windows = temporal.call(
                    "(list)",
                    () -> withoutVisibility(
                            client.getWorkflowServiceStubs(),
                            client.getOptions().getNamespace(),
                            types));
            said = "(this service has no visibility queries — the embedded one: listed its open and closed workflows"
                    + " and filtered them here)";
        }
        print(windows, said);
        return 0;
    }

    private static boolean unimplemented(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return true;
            }
        }
        return false;
    }

    private List<String> types() {
        if (type == null) {
            return WINDOW_TYPES;
        }
        for (String t : WINDOW_TYPES) {
            if (t.equalsIgnoreCase(type)) {
                return List.of(t);
            }
        }
        throw new CommandFailure(
                ProblemType.BAD_ARGUMENTS, "--type " + type + " is not a window type; one of " + WINDOW_TYPES);
    }

    /** The visibility query: the window types, and each filter given. */
    String query(List<String> types) {
        StringBuilder q = new StringBuilder("WorkflowType IN (");
        q.append(String.join(", ", types.stream().map(t -> "'" + t + "'").toList()))
                .append(')');
        equal(q, DowntimeSearchAttributes.ENVIRONMENT, "--environment", environment);
        equal(q, DowntimeSearchAttributes.STAGE, "--stage", upper(stage));
        equal(q, DowntimeSearchAttributes.OUTCOME, "--outcome", upper(outcome));
        return q.toString();
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static void equal(StringBuilder q, SearchAttributeKey<String> key, String flag, String value) {
        if (value == null) {
            return;
        }
        if (!value.matches("[A-Za-z0-9_.:-]+")) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    flag + " '" + value + "' is not a name: letters, digits, '_', '.', ':' and '-' only");
        }
        q.append(" AND ").append(key.getName()).append(" = '").append(value).append('\'');
    }

    private static Listed listed(WorkflowExecutionMetadata m) {
        var a = m.getTypedSearchAttributes();
        OffsetDateTime window = a.get(DowntimeSearchAttributes.WINDOW);
        return new Listed(
                m.getExecution().getWorkflowId(),
                m.getWorkflowType(),
                a.get(DowntimeSearchAttributes.ENVIRONMENT),
                status(m.getStatus()),
                a.get(DowntimeSearchAttributes.STAGE),
                a.get(DowntimeSearchAttributes.OUTCOME),
                window == null ? null : window.toInstant(),
                m.getStartTime(),
                m.getCloseTime());
    }

    private static String status(WorkflowExecutionStatus s) {
        return s.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    }

    /** The embedded service's lists (open, then closed), filtered by this command's options. */
    private List<Listed> withoutVisibility(WorkflowServiceStubs stubs, String namespace, List<String> types) {
        List<WorkflowExecutionInfo> infos = new ArrayList<>();
        for (String t : types) {
            WorkflowTypeFilter filter =
                    WorkflowTypeFilter.newBuilder().setName(t).build();
            infos.addAll(stubs.blockingStub()
                    .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(namespace)
                            .setMaximumPageSize(1000)
                            .setTypeFilter(filter)
                            .build())
                    .getExecutionsList());
            infos.addAll(stubs.blockingStub()
                    .listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(namespace)
                            .setMaximumPageSize(1000)
                            .setTypeFilter(filter)
                            .build())
                    .getExecutionsList());
        }
        Map<String, WorkflowExecutionInfo> once = new LinkedHashMap<>(); // a list may also hold what the other has
        infos.forEach(i -> once.putIfAbsent(i.getExecution().getRunId(), i));
        return once.values().stream()
                .map(i -> listed(new WorkflowExecutionMetadata(i, DefaultDataConverter.STANDARD_INSTANCE)))
                .filter(l -> matches(environment, l.environment())
                        && matches(upper(stage), l.stage())
                        && matches(upper(outcome), l.outcome()))
                .sorted(Comparator.comparing(Listed::started).reversed())
                .limit(limit)
                .toList();
    }

    private static boolean matches(String wanted, String value) {
        return wanted == null || wanted.equals(value);
    }

    private void print(List<Listed> windows, String said) {
        var out = spec.commandLine().getOut();
        if (json) {
            windows.forEach(w -> out.println(Json.compact(w)));
        } else if (windows.isEmpty()) {
            out.println("No window matches " + query(types()) + ".");
        } else {
            out.println(table(windows));
        }
        out.flush();
        if (said != null) {
            spec.commandLine().getErr().println(said);
        }
    }

    static String table(List<Listed> windows) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("WORKFLOW ID", "ENVIRONMENT", "STATUS", "STAGE", "OUTCOME", "WINDOW", "STARTED"));
        for (Listed w : windows) {
            rows.add(Stream.of(
                            w.workflowId(),
                            w.environment(),
                            w.status(),
                            w.stage(),
                            w.outcome(),
                            w.window(),
                            w.started())
                    .map(ListCommand::shown)
                    .toList());
        }
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", r.get(i)));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static String shown(Object o) {
        return o instanceof Instant t ? t.truncatedTo(ChronoUnit.SECONDS).toString() : o == null ? "-" : o.toString();
    }
}
