package switchboard.sim;

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
public record CallTemplate(String name, String linkedId, String callerNumber, List<TimedFrame> frames, List<String> cdrLines, Expected expected) {

  /** A frame and its offset from the call's first event, in microseconds. */
  public record TimedFrame(long offsetMicros, String frame) {}

  /** What Switchboard must make of the call (expected.tsv). */
  public record Expected(String status, String reason, String source, boolean voicemail) {}

  private static final Pattern TIMESTAMP = Pattern.compile("(?m)^Timestamp: (\\d+)\\.(\\d{6})(?=\\r)");
  private static final Pattern ID_HEADER = Pattern.compile("(?m)^(Uniqueid|Linkedid|DestUniqueid|DestLinkedid): (\\S+)(?=\\r)");
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
    long base = SEQUENCE.getAndAdd(c.ids().size());
    String[] fresh = new String[c.ids().size()];
    for (int i = 0; i < fresh.length; i++) fresh[i] = epoch + "." + (base + 1 + i);
    var out = new ArrayList<Instance.Frame>(frames.size());
    var sb = new StringBuilder(1024);
    for (int f = 0; f < frames.size(); f++) {
      var frame = c.frames().get(f);
      Instant at = start.plusNanos(frames.get(f).offsetMicros() * 1000);
      sb.setLength(0);
      for (int i = 0; i < frame.slots().length; i++) {
        sb.append(frame.literals()[i]);
        int slot = frame.slots()[i];
        if (slot == Compiled.CALLER) sb.append(newCaller);
        else if (slot == Compiled.TIMESTAMP) appendTimestamp(sb, at);
        else sb.append(fresh[slot]);
      }
      sb.append(frame.literals()[frame.slots().length]);
      out.add(new Instance.Frame(at, sb.toString(), frame.callerHangup()));
    }
    var ids = new LinkedHashMap<String, String>();
    for (int i = 0; i < fresh.length; i++) ids.put(c.ids().get(i), fresh[i]);
    String newLinked = ids.get(linkedId);
    long shiftMicros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000 - firstMicrosOfCdr();
    var cdr = new ArrayList<String>();
    for (String line : cdrLines) cdr.add(rewriteCdr(line, ids, newCaller, shiftMicros));
    return new Instance(newLinked, newCaller, List.copyOf(out), List.copyOf(cdr), expected);
  }

  private static void appendTimestamp(StringBuilder sb, Instant at) {
    String micros = Integer.toString(at.getNano() / 1000);
    sb.append("Timestamp: ").append(at.getEpochSecond()).append('.');
    for (int i = micros.length(); i < 6; i++) sb.append('0');
    sb.append(micros);
  }

  /**
   * The frames cut once into literal text and the slots a copy fills in (caller number, the first time stamp,
   * each id by its order of first appearance), so that a copy is string concatenation — the simulator makes
   * thousands a second — and never a regular expression per frame.
   */
  private record Compiled(List<String> ids, List<CompiledFrame> frames) {
    static final int CALLER = -1;
    static final int TIMESTAMP = -2;
  }

  /** {@code literals.length == slots.length + 1}: literal, slot, literal, …, literal. */
  private record CompiledFrame(String[] literals, int[] slots, boolean callerHangup) {}

  private static final Map<CallTemplate, Compiled> COMPILED = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private Compiled compiled() {
    return COMPILED.computeIfAbsent(this, CallTemplate::compile);
  }

  private static Compiled compile(CallTemplate t) {
    var slotPattern = Pattern.compile(ID_HEADER.pattern() + "|(?m)^Timestamp: \\d+\\.\\d{6}(?=\\r)" + (t.callerNumber() == null ? "" : "|" + Pattern.quote(t.callerNumber())));
    var ids = new ArrayList<String>();
    var frames = new ArrayList<CompiledFrame>();
    for (var f : t.frames()) {
      var literals = new ArrayList<String>();
      var slots = new ArrayList<Integer>();
      var m = slotPattern.matcher(f.frame());
      int from = 0;
      boolean timestampDone = false;
      while (m.find()) {
        if (m.group(1) != null) {
          literals.add(f.frame().substring(from, m.start(2)));
          int index = ids.indexOf(m.group(2));
          if (index < 0) {
            ids.add(m.group(2));
            index = ids.size() - 1;
          }
          slots.add(index);
        } else if (m.group().startsWith("Timestamp: ")) {
          if (timestampDone) continue; // only the first one is Asterisk's event time; keep any other as it was
          timestampDone = true;
          literals.add(f.frame().substring(from, m.start()));
          slots.add(Compiled.TIMESTAMP);
        } else {
          literals.add(f.frame().substring(from, m.start()));
          slots.add(Compiled.CALLER);
        }
        from = m.end();
      }
      literals.add(f.frame().substring(from));
      boolean callerHangup = f.frame().startsWith("Event: Hangup\r") && java.util.Objects.equals(t.linkedId(), header(f.frame(), "Uniqueid"));
      frames.add(new CompiledFrame(literals.toArray(String[]::new), slots.stream().mapToInt(Integer::intValue).toArray(), callerHangup));
    }
    return new Compiled(List.copyOf(ids), List.copyOf(frames));
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
  public record Instance(String linkedId, String callerNumber, List<Frame> frames, List<String> cdrLines, Expected expected) {
    public record Frame(Instant at, String text, boolean callerHangup) {}

    public Instant end() {
      return frames.get(frames.size() - 1).at();
    }
  }
}
