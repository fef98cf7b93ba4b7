package switchboard.tools.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder listening on loopback in front of a server (Asterisk's AMI, PostgreSQL), so a test or the load
 * test can break the path like a network would: {@link #cut()} drops every connection and refuses new ones
 * (an outage), {@link #pause()} keeps every connection open but stops forwarding bytes in both directions (a
 * stalled database or a black-holed route) until {@link #resume()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile ServerSocket server;

    /** Forwards to {@code 127.0.0.1:targetPort}. */
    public TcpProxy(int targetPort) throws IOException {
        this(InetAddress.getLoopbackAddress().getHostAddress(), targetPort);
    }

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = server.getLocalPort();
        accept(server);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() throws IOException {
        server.close();
        for (var s : sockets) s.close();
        sockets.clear();
    }

    public synchronized void restore() throws IOException {
        var s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = s;
        accept(s);
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted but hear nothing. */
    public void pause() {
        paused = true;
    }

    /** Forwards again, including whatever was sent while paused. */
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    public boolean paused() {
        return paused;
    }

    private void holdWhilePaused() throws IOException {
        synchronized (gate) {
            while (paused && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    private void accept(ServerSocket s) {
        var t = new Thread(
                () -> {
                    while (!s.isClosed()) {
                        try {
                            Socket client = s.accept();
                            Socket upstream = new Socket(targetHost, targetPort);
                            sockets.add(client);
                            sockets.add(upstream);
                            pump(client, upstream);
                            pump(upstream, client);
                        } catch (IOException e) {
                            // closed by cut(), or the target refused: the client sees a dropped connection
                        }
                    }
                },
                "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        var t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while (true) {
                            holdWhilePaused(); // while paused nothing is read, so the sender's bytes wait in its socket
                            // buffer
                            if ((n = in.read(buf)) < 0) break;
                            holdWhilePaused(); // a read that was already waiting when the pause began is held back too
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        try {
                            from.close();
                            to.close();
                        } catch (IOException e) {
                            // closing
                        }
                        sockets.remove(from);
                        sockets.remove(to);
                    }
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resume();
        cut();
    }
}
