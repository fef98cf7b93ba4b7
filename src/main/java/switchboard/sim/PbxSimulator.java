package switchboard.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Asterisk: plays {@link CallTemplate} copies over the AMI wire ({@link AmiServer}) at their
 * recorded pace, answers {@code CoreShowChannels} with the callers on the line, writes each finished call's
 * rows to a CDR file like {@code cdr_custom} does, and keeps the ground truth of every call it placed.
 */
public final class PbxSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PbxSimulator.class);
  private static final long TICK_MS = 5;

  private final AmiServer server;
  private final Path cdrFile;
  private final ScheduledExecutorService ticker;
  private final PriorityQueue<Pending> due = new PriorityQueue<>();
  private final Map<String, CallTemplate.Instance> live = new ConcurrentHashMap<>();
  /** Per live call, the index of the last frame played: what CoreShowChannels reports is where the call is now. */
  private final Map<String, Integer> played = new ConcurrentHashMap<>();
  private final Map<String, CallTemplate.Expected> truth = new ConcurrentHashMap<>();
  private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
  private final AtomicLong placed = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong framesSent = new AtomicLong();
  private final String pbxId;

  private record Pending(Instant at, long seq, CallTemplate.Instance call, int index) implements Comparable<Pending> {
    public int compareTo(Pending o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private long seq;

  public PbxSimulator(String pbxId, String amiUser, String amiSecret, Path cdrFile) throws IOException {
    this.pbxId = pbxId;
    this.server = new AmiServer(0, amiUser, amiSecret);
    this.cdrFile = cdrFile;
    server.liveChannels(this::liveChannelFrames);
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      var t = new Thread(r, "pbx-sim-" + pbxId);
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  public AmiServer server() {
    return server;
  }

  public int amiPort() {
    return server.port();
  }

  /** Places a call: its first event goes out at {@code start}. */
  public synchronized CallTemplate.Instance place(CallTemplate template, String callerNumber, Instant start) {
    var call = template.instantiate(callerNumber, start);
    truth.put(pbxId + ":" + call.linkedId(), call.expected());
    startedAt.put(pbxId + ":" + call.linkedId(), start);
    placed.incrementAndGet();
    due.add(new Pending(call.frames().get(0).at(), seq++, call, 0));
    return call;
  }

  public Map<String, CallTemplate.Expected> groundTruth() {
    return Map.copyOf(truth);
  }

  /** When each placed call started, by call id. */
  public Instant startedAt(String callId) {
    return startedAt.get(callId);
  }

  public long placed() {
    return placed.get();
  }

  public long finished() {
    return finished.get();
  }

  public long framesSent() {
    return framesSent.get();
  }

  public int callersOnTheLine() {
    return live.size();
  }

  /** Sends every frame that is due, in time order, as one write. */
  private void tick() {
    try {
      var batch = new StringBuilder();
      Instant now = Instant.now();
      synchronized (this) {
        while (!due.isEmpty() && !due.peek().at().isAfter(now)) {
          var p = due.poll();
          var frame = p.call().frames().get(p.index());
          batch.append(frame.text());
          framesSent.incrementAndGet();
          if (p.index() == 0) live.put(p.call().linkedId(), p.call());
          played.put(p.call().linkedId(), p.index());
          if (frame.callerHangup()) {
            live.remove(p.call().linkedId());
            played.remove(p.call().linkedId());
          }
          if (p.index() + 1 < p.call().frames().size()) {
            due.add(new Pending(p.call().frames().get(p.index() + 1).at(), seq++, p.call(), p.index() + 1));
          } else {
            live.remove(p.call().linkedId());
            played.remove(p.call().linkedId());
            writeCdr(p.call());
            finished.incrementAndGet();
          }
        }
      }
      if (batch.length() > 0) server.send(batch.toString());
    } catch (RuntimeException e) {
      log.warn("PBX simulator tick failed: {}", e.toString());
    }
  }

  private void writeCdr(CallTemplate.Instance call) {
    if (cdrFile == null) return;
    try {
      Files.writeString(cdrFile, String.join("\n", call.cdrLines()) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("PBX simulator could not write its CDR file {}: {}", cdrFile, e.toString());
    }
  }

  /**
   * The caller's channel as Asterisk's CoreShowChannel reports it now: state, dialplan position and application of
   * the last frames played for it (Newstate, Newexten), and the bridge it is in, if any.
   */
  private String coreShowChannel(CallTemplate.Instance call) {
    var first = call.frames().get(0).text();
    String state = CallTemplate.header(first, "ChannelState"), stateDesc = CallTemplate.header(first, "ChannelStateDesc");
    String context = CallTemplate.header(first, "Context"), exten = CallTemplate.header(first, "Exten"), priority = "1", app = "", appData = "", bridge = "";
    int upTo = played.getOrDefault(call.linkedId(), 0);
    for (int i = 0; i <= upTo && i < call.frames().size(); i++) {
      String f = call.frames().get(i).text();
      if (!call.linkedId().equals(CallTemplate.header(f, "Uniqueid"))) continue;
      if (f.startsWith("Event: Newstate\r")) {
        state = CallTemplate.header(f, "ChannelState");
        stateDesc = CallTemplate.header(f, "ChannelStateDesc");
      } else if (f.startsWith("Event: Newexten\r")) {
        context = CallTemplate.header(f, "Context");
        exten = CallTemplate.header(f, "Exten");
        priority = CallTemplate.header(f, "Priority");
        app = CallTemplate.header(f, "Application");
        appData = CallTemplate.header(f, "AppData");
      } else if (f.startsWith("Event: BridgeEnter\r")) {
        bridge = CallTemplate.header(f, "BridgeUniqueid");
      } else if (f.startsWith("Event: BridgeLeave\r")) {
        bridge = "";
      }
    }
    return "Event: CoreShowChannel\r\nChannel: " + CallTemplate.header(first, "Channel") + "\r\nChannelState: " + state + "\r\nChannelStateDesc: " + stateDesc
        + "\r\nCallerIDNum: " + call.callerNumber() + "\r\nCallerIDName: " + CallTemplate.header(first, "CallerIDName") + "\r\nConnectedLineNum: <unknown>\r\n"
        + "ConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: " + context + "\r\nExten: " + exten + "\r\nPriority: " + priority
        + "\r\nUniqueid: " + call.linkedId() + "\r\nLinkedid: " + call.linkedId() + "\r\nApplication: " + nullToEmpty(app) + "\r\nApplicationData: "
        + nullToEmpty(appData) + "\r\nDuration: " + hms(Duration.between(call.frames().get(0).at(), Instant.now())) + "\r\nBridgeId: " + nullToEmpty(bridge)
        + "\r\n\r\n";
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Rendered when asked, so each channel's Duration is its age at that moment, as Asterisk reports it. */
  private String liveChannelFrames() {
    var sb = new StringBuilder();
    for (var call : live.values()) sb.append(coreShowChannel(call));
    return sb.toString();
  }

  private static String hms(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void close() throws IOException {
    ticker.shutdownNow();
    server.close();
  }
}
