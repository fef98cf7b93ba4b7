package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The proxy forwards both ways; paused, it forwards nothing while the connection stays open; resumed, all of it. */
class TcpProxyTest {
    @Test
    void aPauseHoldsBytesBothWaysAndAResumeDeliversThem() throws Exception {
        try (var echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                var proxy = new TcpProxy(echo.getLocalPort())) {
            var server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    var in = s.getInputStream();
                    var out = s.getOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) out.write(b + 1);
                } catch (IOException e) {
                    // test over
                }
            });
            server.setDaemon(true);
            server.start();
            try (var client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.setSoTimeout(5000);
                var in = new DataInputStream(client.getInputStream());
                client.getOutputStream().write(1);
                assertEquals(2, in.read());

                proxy.pause();
                client.getOutputStream().write(10);
                client.setSoTimeout(700); // nothing may come back while paused: the read must time out
                assertThrows(SocketTimeoutException.class, in::read);

                proxy.resume();
                client.setSoTimeout(5000);
                assertEquals(
                        11,
                        in.read(),
                        "the byte sent during the pause arrives after the resume, over the same connection");
            }
        }
    }
}
