package org.fastdowntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "signal",
        mixinStandardHelpOptions = true,
        description = "Sends any signal with a JSON payload, as the Temporal UI does: e.g. signal ID"
                + " confirmWindow --json '{\"party\":\"dba\",\"by\":\"stuart\"}'. The workflow judges"
                + " it; see 'status'.")
final class SignalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID")
    String workflowId;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = "--json", required = true, paramLabel = "JSON")
    String json;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode payload;
        try {
            payload = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--json is not valid JSON: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--json must be one JSON object");
        }
        Map<?, ?> body = Json.mapper().convertValue(payload, Map.class);
        temporal.signal(workflowId, name, body);
        spec.commandLine().getOut().println("Sent " + name + " to " + workflowId);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
