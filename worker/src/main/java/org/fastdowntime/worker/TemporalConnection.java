package org.fastdowntime.worker;

import com.uber.m3.tally.Scope;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A resolved way to reach Temporal: the {@link TemporalSettings} layers stacked, with the defaults
 * under them (127.0.0.1:7233, namespace "default", task queue "fastdowntime", plaintext). TLS is on
 * when a layer says so, when any certificate, key or server name is given, or with an API key (as
 * Temporal's SDKs do) unless a layer turns it off. Every file is read here, so a bad setting fails
 * before any call, naming the setting.
 */
public final class TemporalConnection {
    public static final String DEFAULT_TARGET = "127.0.0.1:7233";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final String DEFAULT_TASK_QUEUE = "fastdowntime";

    /** The hosts beside which the HTTP API is looked for without being named. */
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "[::1]");

    private final TemporalSettings s;

    private TemporalConnection(TemporalSettings settings) {
        this.s = settings;
    }

    /**
     * A bad connection setting; the message names it (e.g. "--tls-cert-path: no such file /x.pem").
     */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * The server refused us (certificate, trust or API key): retrying with the same settings cannot
     * help.
     */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Stacks the layers, lowest first: each later one wins field by field. */
    public static TemporalConnection of(TemporalSettings... lowestFirst) {
        TemporalSettings merged = TemporalSettings.NONE;
        for (TemporalSettings layer : lowestFirst) {
            if (layer != null) {
                merged = layer.over(merged);
            }
        }
        return new TemporalConnection(merged);
    }

    public String target() {
        return s.target() != null ? s.target().value() : DEFAULT_TARGET;
    }

    public String namespace() {
        return s.namespace() != null ? s.namespace().value() : DEFAULT_NAMESPACE;
    }

    public String taskQueue() {
        return s.taskQueue() != null ? s.taskQueue().value() : DEFAULT_TASK_QUEUE;
    }

    /**
     * Where Temporal's HTTP API answers, for client commands that only ask or tell a running workflow,
     * or null for none: {@code httpTarget} as set ({@code none} turns it off); unset, for a plaintext
     * target on loopback, the same host at its port + 10 (7233 → 7243, where {@code ./fastdowntime
     * dev-server} serves it, as Temporal's own development configs do). A connection with TLS has
     * none: it keeps to gRPC.
     */
    public String httpTarget() throws Invalid {
        if (s.httpTarget() != null) {
            String v = s.httpTarget().value();
            if (v.equalsIgnoreCase("none")) {
                return null;
            }
            if (!v.matches("(\\[[0-9A-Fa-f:.]+]|[^\\s:/\\[\\]]+):\\d{1,5}")) {
                throw new Invalid(s.httpTarget().from() + ": not HOST:PORT (or none): '" + v + "'");
            }
            return tls() ? null : v;
        }
        if (tls()) {
            return null;
        }
        String t = target();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        if (!LOOPBACK.contains(host)) {
            return null;
        }
        try {
            return host + ":" + (Integer.parseInt(t.substring(colon + 1)) + 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The same connection to another address (the embedded service's). */
    public TemporalConnection withTarget(String target, String from) {
        return of(s, TemporalSettings.builder(from).target(target).build());
    }

    public boolean tls() {
        if (s.tls() != null) {
            return s.tls().value();
        }
        return s.serverCa() != null
                || s.clientCert() != null
                || s.clientKey() != null
                || s.serverName() != null
                || s.apiKey() != null;
    }

    /** For logs and messages: where, which namespace, how; never a secret. */
    public String describe() {
        List<String> how = new ArrayList<>();
        how.add("namespace " + namespace());
        if (tls()) {
            how.add(s.clientCert() != null ? "mutual TLS" : "TLS");
            if (s.serverCa() != null) {
                how.add("CA " + s.serverCa().value());
            }
            if (s.serverName() != null) {
                how.add("server name " + s.serverName().value());
            }
        }
        if (s.apiKey() != null) {
            how.add("API key from " + s.apiKey().from());
        }
        return target() + " (" + String.join(", ", how) + ")";
    }

    /** Service stubs for this connection on gRPC's shared event loop; nothing is called yet. */
    public WorkflowServiceStubs stubs(Scope metrics, Duration rpcTimeout) throws Invalid {
        return stubs(metrics, rpcTimeout, null);
    }

    /**
     * Service stubs whose channel runs on {@code loop} (null: gRPC's shared one), which the caller
     * shuts down. A short-lived client wants its own: gRPC keeps its shared loop's threads a second
     * after the last channel closes, and a JVM exiting while a thread waits in native code (as an
     * event loop's do) waits 300 ms for it.
     */
    public WorkflowServiceStubs stubs(Scope metrics, Duration rpcTimeout, EventLoopGroup loop) throws Invalid {
        WorkflowServiceStubsOptions.Builder b =
                WorkflowServiceStubsOptions.newBuilder().setTarget(target());
        if (metrics != null) {
            b.setMetricsScope(metrics);
        }
        if (rpcTimeout != null) {
            b.setRpcTimeout(rpcTimeout);
        }
        String authority = null;
        if (tls()) {
            b.setSslContext(TlsContext.of(s));
            if (s.serverName() != null) {
                authority = s.serverName().value();
            }
        }
        if (authority != null || loop != null) {
            String overridden = authority;
            b.setChannelInitializer(c -> {
                if (overridden != null) {
                    c.overrideAuthority(overridden);
                }
                if (loop != null) {
                    ((NettyChannelBuilder) c).eventLoopGroup(loop).channelType(socketChannel(loop));
                }
            });
        }
        if (s.apiKey() != null) {
            String key = s.apiKey().value().value();
            b.addApiKey(() -> key);
        }
        if (s.metadata() != null) {
            io.grpc.Metadata m = s.metadata();
            b.addGrpcMetadataProvider(() -> m);
        }
        return WorkflowServiceStubs.newServiceStubs(b.build());
    }

    /**
     * A one-thread event loop for {@link #stubs(Scope, Duration, EventLoopGroup)}: epoll where the
     * platform has it (as gRPC's own), else NIO.
     */
    public static EventLoopGroup ownEventLoop() {
        java.util.concurrent.ThreadFactory named =
                new io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory(OWN_LOOP, true);
        return Epoll.isAvailable() ? new EpollEventLoopGroup(1, named) : new NioEventLoopGroup(1, named);
    }

    /** The name its thread starts with: a command's own loop, told apart from any other in the JVM. */
    public static final String OWN_LOOP = "fastdowntime-client-loop";

    private static Class<? extends Channel> socketChannel(EventLoopGroup loop) {
        return loop instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public WorkflowClient client(WorkflowServiceStubs stubs) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder().setNamespace(namespace()).build());
    }

    /**
     * Why a first call failed: refused (credentials, trust: retrying will not help) or just not
     * answering yet.
     */
    public record Problem(boolean refused, String message) {}

    /**
     * Asks the server who it is, once: a refused certificate, an untrusted server or a refused API
     * key is told now, in words, rather than as a worker that polls in silence.
     *
     * @return null if the server answered
     */
    public Problem check(WorkflowServiceStubs stubs) {
        try {
            stubs.blockingStub()
                    .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return null;
        } catch (StatusRuntimeException e) {
            return new Problem(refusal(e) != null, explain(e));
        }
    }

    /**
     * Says in words why a call failed: unreachable, a TLS problem (which one), or refused
     * credentials.
     */
    public String explain(StatusRuntimeException e) {
        String refusal = refusal(e);
        if (refusal != null) {
            return "Temporal at " + describe() + " " + refusal;
        }
        return "cannot reach Temporal at "
                + describe()
                + " ("
                + e.getStatus().getCode()
                + ": "
                + firstLine(e.getStatus().getDescription())
                + ")";
    }

    private String refusal(StatusRuntimeException e) {
        Status st = e.getStatus();
        String all = (st.getDescription() == null ? "" : st.getDescription()) + " " + causes(e);
        String lower = all.toLowerCase(Locale.ROOT);
        if (st.getCode() == Status.Code.UNAUTHENTICATED
                || st.getCode() == Status.Code.PERMISSION_DENIED
                || lower.contains("http status code 401")
                || lower.contains("http status code 403")) {
            return "refused our credentials ("
                    + st.getCode()
                    + "): check the API key (TEMPORAL_API_KEY, apiKeyEnv or"
                    + " apiKeyFile) or the client certificate's permissions";
        }
        if (lower.contains("no required ssl certificate was sent") && s.clientCert() != null) {
            // TLS 1.3: the server names the CAs it accepts, and a certificate of another CA is not even
            // offered.
            return "refused our client certificate "
                    + s.clientCert().value()
                    + " (from "
                    + s.clientCert().from()
                    + "): it is not signed by a CA the server trusts, so it was not accepted";
        }
        if (lower.contains("no required ssl certificate was sent")) {
            return "requires a client certificate (mutual TLS) and none was sent: set the client"
                    + " certificate and key (--tls-cert-path/--tls-key-path,"
                    + " temporal.tls.certFile/keyFile or TEMPORAL_TLS_CLIENT_CERT_PATH/KEY_PATH)";
        }
        if (lower.contains("ssl certificate error")
                || lower.contains("bad_certificate")
                || lower.contains("unknown_ca")
                || lower.contains("certificate_unknown")
                || lower.contains("certificate_required")) {
            return "refused our client certificate (it is not signed by a CA the server trusts, or has" + " expired)";
        }
        if (lower.contains("pkix path")
                || lower.contains("unable to find valid certification path")
                || lower.contains("certificate_verify_failed")
                || lower.contains("no subject alternative")
                || lower.contains("no name matching")) {
            return "presented a certificate we do not trust ("
                    + (lower.contains("subject alternative") || lower.contains("no name matching")
                            ? "its name does not match; set the server name"
                            : "not signed by the CA we trust; set the server CA (--tls-ca-path,"
                                    + " temporal.tls.caFile or TEMPORAL_TLS_SERVER_CA_CERT_PATH)")
                    + ")";
        }
        if (lower.contains("not an ssl/tls record")
                || lower.contains("first received frame was not settings")
                || lower.contains("http/1.1 header parser received no bytes") && lower.contains("ssl")) {
            return "does not speak TLS on that port, or we do not (check the tls setting)";
        }
        return null;
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(' ').append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
