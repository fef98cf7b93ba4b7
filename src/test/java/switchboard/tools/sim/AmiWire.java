package switchboard.tools.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A bare AMI client for the wire-level tests: writes actions as given, keeps every message received, in order. */
final class AmiWire implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final List<String> messages = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();
    private final Thread reader;

    AmiWire(int port, String user, String secret, String events) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        reader = new Thread(
                () -> {
                    byte[] buf = new byte[65536];
                    try {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            synchronized (messages) {
                                pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                                int end;
                                while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                                    String m = pending.substring(0, end + 4);
                                    pending.delete(0, end + 4);
                                    int banner = m.indexOf("Asterisk Call Manager/");
                                    if (banner == 0) m = m.substring(m.indexOf("\r\n") + 2);
                                    messages.add(m);
                                }
                                messages.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                },
                "ami-wire-test");
        reader.setDaemon(true);
        reader.start();
        send("Action: Login\r\nActionID: test-login\r\nUsername: " + user + "\r\nSecret: " + secret + "\r\n"
                + (events == null ? "" : "Events: " + events + "\r\n") + "\r\n");
        await(m -> m.contains("ActionID: test-login\r\n"), Duration.ofSeconds(5));
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Messages received so far. */
    List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Waits until a message matching {@code p} has arrived; returns its index. */
    int await(Predicate<String> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                for (int i = 0; i < messages.size(); i++) if (p.test(messages.get(i))) return i;
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new AssertionError(
                            "no such AMI message within " + timeout + "; got:\n" + String.join("", messages));
                try {
                    messages.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Waits until {@code n} messages after {@code from} match {@code p}. */
    List<String> awaitCount(int from, Predicate<String> p, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                var got = new ArrayList<String>();
                for (int i = from; i < messages.size(); i++) if (p.test(messages.get(i))) got.add(messages.get(i));
                if (got.size() >= n) return got;
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new AssertionError("only " + got.size() + " of " + n + " AMI messages within " + timeout
                            + ":\n" + String.join("", got));
                try {
                    messages.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
