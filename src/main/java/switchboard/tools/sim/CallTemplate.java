package switchboard.tools.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A call path recorded from the real Asterisk 22 lab (resources {@code ami-transcripts/}): its AMI event frames
 * with their time offsets, its CDR rows, and the outcome Switchboard must give it. The simulator plays copies
 * with fresh ids, caller numbers and times, so its event sequences are Asterisk's own.
 */
public record CallTemplate(
        String name,
        String linkedId,
        String callerNumber,
        List<TimedFrame> frames,
        List<String> cdrLines,
        Expected expected) {

    /** A frame and its offset from the call's first event, in microseconds. */
    public record TimedFrame(long offsetMicros, String frame) {}

    /** What Switchboard must make of the call (expected.tsv). */
    public record Expected(String status, String reason, String source, boolean voicemail) {}

    private static final Pattern TIMESTAMP = Pattern.compile("(?m)^Timestamp: (\\d+)\\.(\\d{6})(?=\\r)");
    private static final Pattern ID_HEADER = Pattern.compile(
            "(?m)^(Uniqueid|Linkedid|DestUniqueid|DestLinkedid|BridgeUniqueid|BridgeId): (\\S+)(?=\\r)");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Every recorded path listed in {@code ami-transcripts/expected.tsv}. */
    public static Map<String, CallTemplate> loadAll() {
        var out = new LinkedHashMap<String, CallTemplate>();
        for (String line : resource("expected.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            var expected = new Expected(f[1], f[2].equals("-") ? null : f[2], f[3], Boolean.parseBoolean(f[4].trim()));
            out.put(f[0], load(f[0], expected));
        }
        return out;
    }

    static CallTemplate load(String name, Expected expected) {
        var frames = new ArrayList<TimedFrame>();
        String linkedId = null;
        String caller = null;
        long first = -1;
        for (String raw : resource(name + ".ami").split("\r\n\r\n")) {
            String frame = raw.strip();
            if (!frame.startsWith("Event:")) continue;
            frame = frame + "\r\n";
            if (frame.startsWith("Event: FullyBooted")) continue; // the login chatter; the simulator says it itself
            var ts = TIMESTAMP.matcher(frame);
            if (!ts.find()) continue; // every call event carries Asterisk's time stamp (timestampevents = yes)
            long micros = Long.parseLong(ts.group(1)) * 1_000_000 + Long.parseLong(ts.group(2));
            if (first < 0) first = micros;
            if (linkedId == null && frame.startsWith("Event: Newchannel") && frame.contains("Context: from-carrier")) {
                linkedId = header(frame, "Linkedid");
                caller = header(frame, "CallerIDNum");
            }
            frames.add(new TimedFrame(micros - first, frame + "\r\n"));
        }
        var cdr = new ArrayList<String>();
        for (String l : resource(name + ".cdr.csv").split("\n")) if (!l.isBlank()) cdr.add(l.strip());
        return new CallTemplate(name, linkedId, caller, List.copyOf(frames), List.copyOf(cdr), expected);
    }

    /** A copy of the call: new ids (Asterisk's epoch.sequence form), caller number and start time. */
    public Instance instantiate(String newCaller, Instant start) {
        var c = compiled();
        long epoch = start.getEpochSecond();
        String[] fresh = new String[c.ids().size()];
        for (int i = 0; i < fresh.length; i++) {
            long n = SEQUENCE.incrementAndGet(); // in order of first appearance
            // Channel ids are Asterisk's epoch.sequence; a bridge id is a UUID, fresh per copy like every other id.
            fresh[i] = c.ids().get(i).contains("-")
                    ? String.format(
                            "%08x-%04x-4%03x-8%03x-%012x",
                            epoch, (n >> 40) & 0xffff, (n >> 28) & 0xfff, (n >> 16) & 0xfff, n & 0xffffffffffffL)
                    : epoch + "." + n;
        }
        long startMicros = epoch * 1_000_000 + start.getNano() / 1000;
        var out = new ArrayList<Instance.Frame>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            var f = frames.get(i);
            var cf = c.frames().get(i);
            var sb = new StringBuilder(f.frame().length() + 64);
            for (var part : cf.parts()) {
                switch (part.kind()) {
                    case LITERAL -> sb.append(part.text());
                    case CALLER -> sb.append(newCaller);
                    case ID -> sb.append(fresh[part.id()]);
                    case TIMESTAMP -> appendMicros(sb, startMicros + f.offsetMicros());
                }
            }
            out.add(new Instance.Frame(start.plusNanos(f.offsetMicros() * 1000), sb.toString(), cf.callerHangup()));
        }
        var ids = new LinkedHashMap<String, String>();
        for (int i = 0; i < fresh.length; i++) ids.put(c.ids().get(i), fresh[i]);
        String newLinked = ids.get(linkedId);
        long shiftMicros = startMicros - firstMicrosOfCdr();
        var cdr = new ArrayList<String>();
        for (String line : cdrLines) cdr.add(rewriteCdr(line, ids, newCaller, shiftMicros));
        return new Instance(newLinked, newCaller, List.copyOf(out), List.copyOf(cdr), expected);
    }

    private static void appendMicros(StringBuilder sb, long micros) {
        String us = Long.toString(micros % 1_000_000);
        sb.append(micros / 1_000_000).append('.');
        for (int i = us.length(); i < 6; i++) sb.append('0');
        sb.append(us);
    }

    // Copies are made at up to hundreds per second: each frame is cut once into literal text and the slots a
    // copy fills in (caller number, ids, time stamp), instead of running regular expressions over every copy.
    private enum Kind {
        LITERAL,
        CALLER,
        ID,
        TIMESTAMP
    }

    private record Part(Kind kind, String text, int id) {}

    private record CompiledFrame(List<Part> parts, boolean callerHangup) {}

    private record Compiled(List<TimedFrame> source, List<String> ids, List<CompiledFrame> frames) {}

    private record Slot(int start, int end, Kind kind, String old) {}

    /** By recording name; an entry counts only for the very frame list it was cut from (a record has no private state). */
    private static final Map<String, Compiled> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    private Compiled compiled() {
        var c = COMPILED.get(name);
        if (c != null && c.source() == frames) return c;
        c = compile(this);
        COMPILED.put(name, c);
        return c;
    }

    private static Compiled compile(CallTemplate t) {
        var ids = new ArrayList<String>();
        var out = new ArrayList<CompiledFrame>();
        for (var f : t.frames()) {
            String text = f.frame();
            var slots = new ArrayList<Slot>();
            for (int i = text.indexOf(t.callerNumber());
                    i >= 0;
                    i = text.indexOf(t.callerNumber(), i + t.callerNumber().length()))
                slots.add(new Slot(i, i + t.callerNumber().length(), Kind.CALLER, null));
            var idm = ID_HEADER.matcher(text);
            while (idm.find()) slots.add(new Slot(idm.start(2), idm.end(2), Kind.ID, idm.group(2)));
            var ts = TIMESTAMP.matcher(text);
            if (ts.find()) slots.add(new Slot(ts.start(1), ts.end(2), Kind.TIMESTAMP, null));
            slots.sort(java.util.Comparator.comparingInt(Slot::start));
            var parts = new ArrayList<Part>();
            int at = 0;
            for (var s : slots) {
                if (s.start() < at) throw new IllegalStateException(t.name() + ": overlapping fields in a frame");
                if (s.start() > at) parts.add(new Part(Kind.LITERAL, text.substring(at, s.start()), -1));
                int id = -1;
                if (s.kind() == Kind.ID) {
                    id = ids.indexOf(s.old());
                    if (id < 0) {
                        ids.add(s.old());
                        id = ids.size() - 1;
                    }
                }
                parts.add(new Part(s.kind(), null, id));
                at = s.end();
            }
            if (at < text.length()) parts.add(new Part(Kind.LITERAL, text.substring(at), -1));
            boolean hangup = text.startsWith("Event: Hangup\r")
                    && java.util.Objects.equals(t.linkedId(), header(text, "Uniqueid"));
            out.add(new CompiledFrame(List.copyOf(parts), hangup));
        }
        return new Compiled(t.frames(), List.copyOf(ids), List.copyOf(out));
    }

    private long firstMicrosOfCdr() {
        // The call's first event and its CDR start share Asterisk's clock; align on the earliest CDR start.
        long min = Long.MAX_VALUE;
        for (String l : cdrLines) min = Math.min(min, micros(csv(l).get(2)));
        return min == Long.MAX_VALUE ? 0 : min;
    }

    static String rewriteCdr(String line, Map<String, String> ids, String caller, long shiftMicros) {
        var f = csv(line);
        f.set(0, ids.getOrDefault(f.get(0), f.get(0)));
        f.set(1, ids.getOrDefault(f.get(1), f.get(1)));
        for (int i = 2; i <= 4; i++) {
            long m = micros(f.get(i));
            if (m > 0) f.set(i, String.format("%d.%06d", (m + shiftMicros) / 1_000_000, (m + shiftMicros) % 1_000_000));
        }
        f.set(7, caller);
        return "\"" + String.join("\",\"", f) + "\"";
    }

    private static long micros(String epoch) {
        if (epoch == null || epoch.isBlank()) return 0;
        String[] p = epoch.split("\\.");
        long us = p.length > 1 ? Long.parseLong((p[1] + "000000").substring(0, 6)) : 0;
        return Long.parseLong(p[0]) * 1_000_000 + us;
    }

    static List<String> csv(String line) {
        var out = new ArrayList<String>();
        for (String part : line.substring(1, line.length() - 1).split("\",\"", -1)) out.add(part);
        return out;
    }

    static String header(String frame, String name) {
        var m = Pattern.compile("(?m)^" + name + ": ?(.*?)\\r?$").matcher(frame);
        return m.find() ? m.group(1) : null;
    }

    private static String resource(String name) {
        try (InputStream in = CallTemplate.class.getClassLoader().getResourceAsStream("ami-transcripts/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource ami-transcripts/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One simulated call, ready to play. */
    public record Instance(
            String linkedId, String callerNumber, List<Frame> frames, List<String> cdrLines, Expected expected) {
        public record Frame(Instant at, String text, boolean callerHangup) {}

        public Instant end() {
            return frames.get(frames.size() - 1).at();
        }
    }
}
