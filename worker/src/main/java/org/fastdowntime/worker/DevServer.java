package org.fastdowntime.worker;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Temporal service (temporal-testing's test server in real time), bound to 127.0.0.1
 * only: the library's own launcher listens on every interface. State is in memory; Schedules and
 * visibility listing are not implemented there (see ARCHITECTURE.md).
 */
public final class DevServer implements AutoCloseable {
    private final TestServicesStarter services;
    private final Server server;

    private DevServer(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /** Starts on 127.0.0.1:{@code port}; port 0 picks a free one. */
    public static DevServer start(int port) throws IOException {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create());
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        return new DevServer(services, builder.build().start());
    }

    public int port() {
        return server.getPort();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.close();
    }
}
