package org.fastdowntime.cli;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.fastdowntime.model.ProblemType;

/**
 * A workflow's client interface over Temporal's HTTP API, the server's JSON gateway to the same
 * WorkflowService the SDK reaches by gRPC: its queries, signals and updates, with arguments and
 * results as the SDK's default JSON converter writes them (the API takes and gives JSON payloads as
 * plain JSON values). A command that only asks or tells a running workflow then starts without
 * gRPC, Netty, protobuf and the SDK's client, which are most of its start-up time.
 *
 * <p>Plaintext HTTP only ({@code TemporalConnection.httpTarget()} is null with TLS). When nothing
 * answers at the address, or what answers is not Temporal's API, every call goes to the SDK's stub
 * instead. A workflow method (start) always does.
 */
final class HttpWorkflows {
    /**
     * How long one update call may take; the server is told (the API's {@code Grpc-Timeout} header)
     * and answers within it, with the outcome or with none yet, and then the same update (same id) is
     * asked again, up to {@link #UPDATE_LIMIT} in all.
     */
    private static final Duration UPDATE_PATIENCE = Duration.ofSeconds(60);

    private static final Duration UPDATE_LIMIT = Duration.ofMinutes(5);

    /**
     * How long a query or a signal may take, as the gRPC route's calls: the server is told, so it
     * answers within it, e.g. that no worker polls.
     */
    private static final Duration CALL_PATIENCE = Duration.ofSeconds(10);

    private static Duration patience(Method m) {
        return m.isAnnotationPresent(UpdateMethod.class) ? UPDATE_PATIENCE : CALL_PATIENCE;
    }

    private HttpWorkflows() {}

    /** The workflow refused an update (its validator or handler failed); the message is its words. */
    static final class UpdateRefused extends RuntimeException {
        UpdateRefused(String message) {
            super(message);
        }
    }

    /**
     * A stub of {@code iface} for workflow {@code workflowId} over the HTTP API at {@code httpTarget},
     * falling back to {@code grpc} (made only if needed).
     */
    static <T> T stub(Class<T> iface, String httpTarget, String namespace, String workflowId, Supplier<T> grpc) {
        Handler<T> h = new Handler<>(httpTarget, namespace, workflowId, grpc);
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, h));
    }

    /**
     * Sends the signal {@code name} with {@code arg} to {@code workflowId} over the HTTP API; false when
     * nothing (or not Temporal's API) answers there, for the caller to send it by gRPC.
     */
    static boolean signal(String httpTarget, String namespace, String workflowId, String name, Object arg) {
        Handler<Object> h = new Handler<>(httpTarget, namespace, workflowId, null);
        try {
            h.signal(name, new Object[] {arg});
            return true;
        } catch (NotThere e) {
            return false;
        } catch (IOException e) {
            throw h.unreachable(e, CALL_PATIENCE);
        }
    }

    /** Nothing (or not Temporal's API) answers at the address: the gRPC route is used instead. */
    private static final class NotThere extends Exception {
        NotThere(String why) {
            super(why);
        }
    }

    private static final class Handler<T> implements InvocationHandler {
        private final String target;
        private final String base;
        private final String namespace;
        private final String workflowId;
        private final Supplier<T> grpc;
        private final ObjectMapper json = mapper();
        private T fallback;

        Handler(String httpTarget, String namespace, String workflowId, Supplier<T> grpc) {
            this.target = httpTarget;
            this.base = "http://" + httpTarget + "/api/v1/namespaces/" + segment(namespace) + "/workflows/"
                    + segment(workflowId);
            this.namespace = namespace;
            this.workflowId = workflowId;
            this.grpc = grpc;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "toString" -> "HTTP stub of " + workflowId + " at " + base;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                };
            }
            if (fallback == null) {
                try {
                    QueryMethod q = m.getAnnotation(QueryMethod.class);
                    if (q != null) {
                        return query(m, name(q.name(), m), args);
                    }
                    SignalMethod s = m.getAnnotation(SignalMethod.class);
                    if (s != null) {
                        signal(name(s.name(), m), args);
                        return null;
                    }
                    UpdateMethod u = m.getAnnotation(UpdateMethod.class);
                    if (u != null) {
                        return update(m, name(u.name(), m), args);
                    }
                } catch (NotThere e) {
                    fallback = grpc.get();
                } catch (IOException e) {
                    throw unreachable(e, patience(m));
                }
            }
            if (fallback == null) {
                fallback = grpc.get();
            }
            try {
                return m.invoke(fallback, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        /** An I/O failure of the API, in words: a read past the deadline, or the failure itself. */
        CommandFailure unreachable(IOException e, Duration patience) {
            return new CommandFailure(
                    ProblemType.TEMPORAL_UNREACHABLE,
                    e instanceof java.net.SocketTimeoutException
                            ? "Temporal's HTTP API at " + target + " gave no answer about " + workflowId + " within "
                                    + patience.plusSeconds(5).toSeconds()
                                    + " s (is a worker polling the window's task queue?)"
                            : "Temporal's HTTP API at " + target + " failed: " + e.getMessage());
        }

        private Object query(Method m, String name, Object[] args) throws IOException, NotThere {
            ObjectNode body = json.createObjectNode();
            if (args != null && args.length > 0) {
                body.putObject("query").set("queryArgs", payloads(args));
            }
            JsonNode answer = post("/query/" + segment(name), body, CALL_PATIENCE);
            return result(m, answer.path("queryResult"));
        }

        private void signal(String name, Object[] args) throws IOException, NotThere {
            ObjectNode body = json.createObjectNode();
            body.set("input", payloads(args));
            body.put("identity", Identity.VALUE);
            post("/signal/" + segment(name), body, CALL_PATIENCE);
        }

        /** Until the update has an outcome: the server answers when it completes or after its own long poll. */
        private Object update(Method m, String name, Object[] args) throws IOException, NotThere {
            ObjectNode body = json.createObjectNode();
            ObjectNode request = body.putObject("request");
            request.putObject("meta")
                    .put("updateId", UUID.randomUUID().toString())
                    .put("identity", Identity.VALUE);
            request.putObject("input").set("args", payloads(args));
            body.putObject("waitPolicy").put("lifecycleStage", "UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED");
            long deadline = System.nanoTime() + UPDATE_LIMIT.toNanos();
            while (true) {
                JsonNode outcome =
                        post("/update/" + segment(name), body, UPDATE_PATIENCE).path("outcome");
                if (outcome.has("failure")) {
                    throw new UpdateRefused(
                            outcome.path("failure").path("message").asText());
                }
                if (outcome.has("success")) {
                    return result(m, outcome.path("success"));
                }
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure(
                            ProblemType.TEMPORAL_UNREACHABLE,
                            workflowId + " accepted " + name + " but gave no outcome within " + UPDATE_LIMIT.toMinutes()
                                    + " min (see 'status')");
                }
            }
        }

        private ArrayNode payloads(Object[] args) {
            ArrayNode a = json.createArrayNode();
            if (args != null) {
                for (Object arg : args) {
                    a.add(json.valueToTree(arg));
                }
            }
            return a;
        }

        private Object result(Method m, JsonNode payloads) throws IOException {
            if (m.getReturnType() == void.class) {
                return null;
            }
            JsonNode first = payloads.path(0);
            return json.readerFor(json.getTypeFactory().constructType(m.getGenericReturnType()))
                    .readValue(first.isMissingNode() ? json.nullNode() : first);
        }

        /** One call; Temporal's errors become command failures worded as the gRPC route words them. */
        private JsonNode post(String path, JsonNode body, Duration patience) throws IOException, NotThere {
            HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
            c.setConnectTimeout(5_000);
            c.setRequestProperty("Grpc-Timeout", patience.toSeconds() + "S");
            // A little longer than the server's own deadline, so that its answer is what is reported.
            c.setReadTimeout((int) patience.plusSeconds(5).toMillis());
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            try {
                try (OutputStream out = c.getOutputStream()) {
                    json.writeValue(out, body);
                }
                int code = c.getResponseCode();
                JsonNode answer;
                try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                    answer = in == null ? null : json.readTree(in);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new NotThere("HTTP " + code + " that is not JSON");
                }
                if (code == 200 && answer != null) {
                    return answer;
                }
                if (answer == null || !answer.has("code")) {
                    throw new NotThere("HTTP " + code);
                }
                throw failure(
                        answer.path("code").asInt(), answer.path("message").asText());
            } catch (ConnectException e) {
                throw new NotThere(e.getMessage());
            } finally {
                c.disconnect();
            }
        }

        /** gRPC status codes as the HTTP API gives them in its error body. */
        private CommandFailure failure(int grpcCode, String message) {
            return switch (grpcCode) {
                case 5 ->
                    new CommandFailure(
                            ProblemType.WORKFLOW_NOT_FOUND,
                            "no workflow " + workflowId + " in namespace " + namespace + " (" + message + ")");
                case 7, 16 ->
                    new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, "Temporal refused the call: " + message);
                default -> new CommandFailure(1, "Temporal refused the call: " + message);
            };
        }

        private static String name(String annotated, Method m) {
            return annotated.isEmpty() ? m.getName() : annotated;
        }
    }

    /**
     * The SDK's default JSON mapper, reading a null collection as an empty one: the HTTP API gives an
     * empty JSON array in a payload as {@code null}, where the gRPC route keeps {@code []}.
     */
    private static ObjectMapper mapper() {
        ObjectMapper m = JacksonJsonPayloadConverter.newDefaultObjectMapper();
        for (Class<?> c : List.of(Collection.class, List.class, Set.class, Map.class)) {
            m.configOverride(c).setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY));
        }
        return m;
    }

    /** A path segment: percent-encoded, a space as %20. */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Who calls, as the SDK names a client in the history: {@code pid@host}. */
    private static final class Identity {
        static final String VALUE = ProcessHandle.current().pid() + "@" + host();

        private static String host() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
