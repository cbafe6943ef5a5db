package org.fastdowntime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy to a server that can freeze the connections it carries: their bytes stop flowing both ways while
 * the sockets stay open, as when a network drops packets silently (a partition, a firewall forgetting a flow);
 * connections made after the freeze pass as usual.
 */
public final class FreezingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    private FreezingProxy(int target) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        Thread accept = new Thread(this::accept, "freezing-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public static FreezingProxy to(int targetPort) throws IOException {
        return new FreezingProxy(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Every connection open now goes silent: nothing more passes, nothing is closed. */
    public void freezeAll() {
        pipes.forEach(p -> p.frozen = true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Pipe pipe = new Pipe(client, server);
                pipes.add(pipe);
                pump(pipe, client, server);
                pump(pipe, server, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Pipe pipe, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    while (pipe.frozen) {
                        Thread.sleep(50); // hold the bytes: the other side hears nothing
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static final class Pipe {
        final Socket a;
        final Socket b;
        volatile boolean frozen;

        Pipe(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Pipe p : pipes) {
            p.a.close();
            p.b.close();
        }
    }
}
