package switchboard.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server that speaks the AMI wire protocol the way Asterisk 22 does, enough for Asterisk-Java to log in
 * and stay connected: banner, {@code Challenge} + MD5 {@code Login} (or {@code Secret}), {@code CoreSettings},
 * {@code Ping}, {@code Logoff}, the {@code CoreShowChannels} / {@code QueueStatus} event lists, {@code ActionID}
 * echo, CRLF framing. Events are pushed by the caller ({@link #send}) — recorded transcripts, generated call
 * paths, or deliberate garbage. Loopback only.
 */
public final class AmiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AmiServer.class);
  public static final String BANNER = "Asterisk Call Manager/11.0.0";

  private final ServerSocket server;
  private final String user;
  private final String secret;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private volatile Supplier<String> liveChannels = () -> "";
  private volatile boolean refusing;
  private final Thread acceptor;

  public AmiServer(int port, String user, String secret) throws IOException {
    this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    this.user = user;
    this.secret = secret;
    this.acceptor = new Thread(this::acceptLoop, "ami-sim-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Raw CoreShowChannel event frames (without the list wrapper) answered to CoreShowChannels. */
  public void liveChannels(Supplier<String> frames) {
    this.liveChannels = frames;
  }

  /** Sessions that have logged in. */
  public int loggedIn() {
    return (int) sessions.stream().filter(s -> s.authenticated).count();
  }

  /** Writes raw text (one or more CRLF-framed messages, or garbage) to every logged-in session. */
  public void send(String raw) {
    for (var s : sessions) if (s.authenticated) s.write(raw);
  }

  /** While refusing, new connections are closed at once (a PBX or network that is down). */
  public void refuse(boolean refuse) {
    this.refusing = refuse;
  }

  /** Closes every session's socket abruptly: a link cut as the client sees it. */
  public void dropConnections() {
    for (var s : sessions) s.close();
    sessions.clear();
  }

  @Override
  public void close() throws IOException {
    dropConnections();
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        if (refusing) {
          socket.close();
          continue;
        }
        var session = new Session(socket);
        sessions.add(session);
        var t = new Thread(session::run, "ami-sim-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!server.isClosed()) log.warn("AMI simulator accept failed: {}", e.toString());
      }
    }
  }

  /** One client connection. */
  private final class Session {
    private final Socket socket;
    private final OutputStream out;
    private volatile boolean authenticated;
    private String challenge;

    Session(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    synchronized void write(String raw) {
      try {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        close();
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    void run() {
      try (var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
        write(BANNER + "\r\n");
        Map<String, String> action = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isEmpty()) {
            if (!action.isEmpty()) handle(action);
            action = new LinkedHashMap<>();
            continue;
          }
          int colon = line.indexOf(':');
          if (colon > 0) action.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      } catch (IOException e) {
        // client went away
      } finally {
        sessions.remove(this);
        close();
      }
    }

    private void handle(Map<String, String> a) {
      String name = a.getOrDefault("action", "").toLowerCase(Locale.ROOT);
      String id = a.get("actionid");
      switch (name) {
        case "challenge" -> {
          challenge = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
          respond(id, "Success", null, "Challenge: " + challenge);
        }
        case "login" -> {
          boolean ok = user.equals(a.get("username")) && (secret.equals(a.get("secret")) || (challenge != null && md5(challenge + secret).equals(a.get("key"))));
          if (!ok) {
            respond(id, "Error", "Authentication failed");
            close();
            return;
          }
          authenticated = true;
          respond(id, "Success", "Authentication accepted");
          write("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 100\r\nLastReload: 100\r\nStatus: Fully Booted\r\n\r\n");
        }
        case "logoff" -> {
          respond(id, "Goodbye", "Thanks for all the fish.");
          close();
        }
        default -> {
          if (!authenticated) {
            respond(id, "Error", "Permission denied");
            return;
          }
          switch (name) {
            case "ping" -> respond(id, "Success", null, "Ping: Pong", "Timestamp: " + System.currentTimeMillis() / 1000.0);
            case "coresettings" -> respond(id, "Success", null, "AMIversion: 11.0.0", "AsteriskVersion: 22.10.1", "SystemName: ", "CoreMaxCalls: 0",
                "CoreMaxLoadAvg: 0.000000", "CoreRunUser: asterisk", "CoreRunGroup: asterisk", "CoreMaxFilehandles: 0", "CoreRealTimeEnabled: No",
                "CoreCDRenabled: Yes", "CoreHTTPenabled: No");
            case "coreshowchannels" -> list(id, "Channels will follow", liveChannels.get(), "CoreShowChannelsComplete");
            case "queuestatus" -> list(id, "Queue status will follow", "", "QueueStatusComplete");
            default -> respond(id, "Error", "Invalid/unknown command: " + a.getOrDefault("action", "") + ". Use Action: ListCommands to show available commands.");
          }
        }
      }
    }

    private void list(String id, String message, String items, String completeEvent) {
      respond(id, "Success", message, "EventList: start");
      int n = 0;
      var sb = new StringBuilder();
      for (String frame : items.split("\r\n\r\n")) {
        if (frame.isBlank()) continue;
        n++;
        sb.append(frame.strip()).append("\r\n");
        if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
        sb.append("\r\n");
      }
      sb.append("Event: ").append(completeEvent).append("\r\n");
      if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
      sb.append("EventList: Complete\r\nListItems: ").append(n).append("\r\n\r\n");
      write(sb.toString());
    }

    private void respond(String id, String response, String message, String... extra) {
      var sb = new StringBuilder("Response: ").append(response).append("\r\n");
      if (id != null) sb.append("ActionID: ").append(id).append("\r\n");
      if (message != null) sb.append("Message: ").append(message).append("\r\n");
      for (String e : extra) sb.append(e).append("\r\n");
      write(sb.append("\r\n").toString());
    }
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
