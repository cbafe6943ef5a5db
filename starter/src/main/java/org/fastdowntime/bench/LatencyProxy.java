package org.fastdowntime.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that hands every byte on {@code delay} after it arrived, in each direction, in order and
 * without holding back what follows: a connection through it sees each round trip 2 × {@code delay} longer, as
 * between two machines, while a pipelined batch still flows in one go.
 */
final class LatencyProxy implements AutoCloseable {
    private static final byte[] END = new byte[0];

    private final ServerSocket server;
    private final int target;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private LatencyProxy(ServerSocket server, int target, Duration delay) {
        this.server = server;
        this.target = target;
        this.delayNanos = delay.toNanos();
    }

    /** Listens on an ephemeral port of 127.0.0.1 and forwards to {@code targetPort} there. */
    static LatencyProxy start(int targetPort, Duration delay) throws IOException {
        LatencyProxy p = new LatencyProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort, delay);
        daemon("latency-proxy-accept", p::accept);
        return p;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Bytes read from {@code from} are written to {@code to} once their delay is over, in order. */
    private void pipe(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon("latency-proxy-read", () -> {
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, java.util.Arrays.copyOf(buf, n)));
                }
            } catch (IOException ignored) {
                // the connection ended
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, END));
        });
        daemon("latency-proxy-write", () -> {
            try {
                while (true) {
                    Chunk c = queue.take();
                    for (long left; (left = c.due() - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(left);
                    }
                    if (c.bytes() == END) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // the connection ended
            }
        });
    }

    private record Chunk(long due, byte[] bytes) {}

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
