package switchboard.tools.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * recorded pace, writes each finished call's rows to a CDR file like {@code cdr_custom} does, and keeps the
 * ground truth of every call it placed. It answers the actions Switchboard sends as the real Asterisk 22 lab
 * did ({@link PbxActions}: Originate with a {@link CalleeModel} deciding each callee, Redirect, Setvar,
 * QueueStatus, CoreShowChannels), from recordings ({@code ami-transcripts/actions-*.ami}).
 */
public final class PbxSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PbxSimulator.class);
    private static final long TICK_MS = 5;

    private final AmiServer server;
    private final Path cdrFile;
    private final ScheduledExecutorService ticker;
    private final PriorityQueue<Pending> due = new PriorityQueue<>();
    private final Map<String, CallTemplate.Instance> live = new ConcurrentHashMap<>();
    private final Map<String, CallTemplate.Expected> truth = new ConcurrentHashMap<>();
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private final AtomicLong placed = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final String pbxId;
    /** Current play per inbound call (by Linkedid) and per originated channel (by ChannelId), while anything is left to send. */
    private final Map<String, Play> inbound = new ConcurrentHashMap<>();

    private final Map<String, Play> originatedPlays = new ConcurrentHashMap<>();
    private final PbxActions actions;

    /** What is being played: an inbound call, the rest of a redirected one, or an originated channel. */
    enum Kind {
        INBOUND,
        CONTINUATION,
        ORIGINATED
    }

    /** One sequence of frames on its way out; {@code sent} = how many went out (read by the action handler). */
    static final class Play {
        final CallTemplate.Instance call;
        final Kind kind;
        volatile int sent;
        volatile boolean superseded;

        Play(CallTemplate.Instance call, Kind kind) {
            this.call = call;
            this.kind = kind;
        }
    }

    private record Pending(Instant at, long seq, Play play, int index) implements Comparable<Pending> {
        CallTemplate.Instance call() {
            return play.call;
        }

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
        server.readPermission("system,call,agent,user,dialplan"); // asterisk-config/manager.conf [switchboard] read =
        this.actions = new PbxActions(this);
        server.actionHandler(actions);
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
        var play = new Play(call, Kind.INBOUND);
        inbound.put(call.linkedId(), play);
        due.add(new Pending(call.frames().get(0).at(), seq++, play, 0));
        return call;
    }

    /** Schedules frames (already timed) as one play. */
    synchronized Play schedule(CallTemplate.Instance call, Kind kind) {
        var play = new Play(call, kind);
        if (kind == Kind.ORIGINATED) originatedPlays.put(call.linkedId(), play);
        else inbound.put(call.linkedId(), play);
        if (call.frames().isEmpty()) return play;
        due.add(new Pending(call.frames().get(0).at(), seq++, play, 0));
        return play;
    }

    /** Stops what is left of an inbound call's play (a Redirect takes over) and puts its continuation in its place. */
    synchronized void supersede(Play old, CallTemplate.Instance continuation, CallTemplate.Expected expected) {
        old.superseded = true;
        truth.put(pbxId + ":" + continuation.linkedId(), expected);
        schedule(continuation, Kind.CONTINUATION);
    }

    Map<String, Play> inboundPlays() {
        return inbound;
    }

    Map<String, Play> originatedPlays() {
        return originatedPlays;
    }

    /** Whether the inbound call's caller is still on the line (started, not hung up). */
    boolean callerLive(String linkedId) {
        return live.containsKey(linkedId);
    }

    void broadcast(String frames) {
        server.send(frames);
    }

    /** Originate actions received (valid or not). */
    public long originatesReceived() {
        return actions.originatesReceived();
    }

    /** Accepted Originates still in progress: dialling, or on their channel until its Hangup. */
    public int liveOriginated() {
        return actions.liveOriginated();
    }

    /** The most Originates that were in progress at once. */
    public int maxConcurrentOriginated() {
        return actions.maxConcurrentOriginated();
    }

    /**
     * When the first accepted Originate to {@code number} (the part of the dialled channel between {@code /} and
     * {@code @}) arrived here; null if none did.
     */
    public Instant firstOriginateAt(String number) {
        return actions.firstOriginateAt(number);
    }

    /** Accepted Originates to {@code number} so far: a callback dialled twice shows here. */
    public int originatesTo(String number) {
        return actions.originatesTo(number);
    }

    public long redirectsReceived() {
        return actions.redirectsReceived();
    }

    /** Decides each callback's callee; {@link CalleeModel#typical} until set. */
    public void calleeModel(CalleeModel model) {
        actions.calleeModel(model);
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
                    var play = p.play();
                    if (play.superseded) continue; // a Redirect took the rest of this call over
                    var call = play.call;
                    var frame = call.frames().get(p.index());
                    batch.append(frame.text());
                    framesSent.incrementAndGet();
                    play.sent = p.index() + 1;
                    boolean last = p.index() + 1 == call.frames().size();
                    if (play.kind == Kind.ORIGINATED) {
                        if (last) {
                            originatedPlays.remove(call.linkedId(), play);
                            actions.originateEnded();
                        }
                    } else {
                        if (p.index() == 0) live.put(call.linkedId(), call);
                        if (frame.callerHangup()) live.remove(call.linkedId());
                        if (last) {
                            live.remove(call.linkedId());
                            inbound.remove(call.linkedId(), play);
                            writeCdr(call);
                            finished.incrementAndGet();
                        }
                    }
                    if (!last)
                        due.add(new Pending(call.frames().get(p.index() + 1).at(), seq++, play, p.index() + 1));
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
            Files.writeString(
                    cdrFile,
                    String.join("\n", call.cdrLines()) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("PBX simulator could not write its CDR file {}: {}", cdrFile, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        ticker.shutdownNow();
        server.close();
    }
}
