package switchboard.pbx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import switchboard.call.PbxSignal;

/**
 * Recovers calls the AMI link never saw (they started and/or ended while it was down) from Asterisk's own
 * call records: the {@code switchboard-cdr.csv} that asterisk-config/cdr_custom.conf writes. Pure: rows in,
 * signals out. The call entity ignores whatever it already knows, so a call seen live and in the CDR still
 * gets exactly one outcome.
 *
 * <p>Columns: uniqueid, linkedid, start, answer, end (epoch seconds), duration, billsec, src, dst, dcontext,
 * channel, dstchannel, lastapp, lastdata, disposition, sb_source, sb_did, sb_stage, sb_queuestatus,
 * sb_dialstatus, sb_voicemail, sequence. Asterisk writes a call's rows when it ends (one per leg it dialled);
 * the hang-up handler stamps the last row with where the call ended up ({@code sb_stage}).
 */
public final class CdrBackfill {
  public record Row(String uniqueId, String linkedId, Instant start, Instant answer, Instant end, String src, String dst, String dcontext, String channel,
      String dstChannel, String lastApp, String lastData, String disposition, String source, String did, String stage, String queueStatus, String dialStatus,
      boolean voicemail, long sequence) {}

  private CdrBackfill() {}

  /** Parses one CSV line (all fields quoted, "" escapes a quote); null for a line that is not a CDR row. */
  public static Row parse(String line) {
    var f = splitCsv(line);
    if (f.size() < 22) return null;
    try {
      return new Row(f.get(0), f.get(1), epoch(f.get(2)), epoch(f.get(3)), epoch(f.get(4)), f.get(7), f.get(8), f.get(9), f.get(10), f.get(11), f.get(12), f.get(13),
          f.get(14), f.get(15), f.get(16), f.get(17), f.get(18), f.get(19), "yes".equalsIgnoreCase(f.get(20)), Long.parseLong(f.get(21).isBlank() ? "0" : f.get(21)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Signals for the inbound calls among {@code rows} that ended at or after {@code since}, grouped by Linkedid,
   * oldest first. {@code inboundContexts}: a call counts when its caller row's first context was inbound,
   * which the CDR does not keep — so a call counts when our dialplan stamped it (sb_did set) or when its
   * caller channel is not one of our own originations.
   */
  public static List<PbxSignal> signals(String pbx, List<Row> rows, Instant since, Set<String> skipLinkedIds) {
    Map<String, List<Row>> byCall = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r == null || r.linkedId() == null || r.linkedId().isBlank() || skipLinkedIds.contains(r.linkedId())) continue;
      byCall.computeIfAbsent(r.linkedId(), k -> new ArrayList<>()).add(r);
    }
    var calls = new ArrayList<List<Row>>();
    for (var legs : byCall.values()) {
      legs.sort(Comparator.comparingLong(Row::sequence));
      Instant end = legs.stream().map(Row::end).filter(e -> e != null).max(Comparator.naturalOrder()).orElse(null);
      boolean inbound = legs.stream().anyMatch(r -> r.uniqueId().equals(r.linkedId()) && r.did() != null && !r.did().isBlank());
      if (inbound && end != null && !end.isBefore(since)) calls.add(legs);
    }
    calls.sort(Comparator.comparing(legs -> legs.get(0).start()));
    var out = new ArrayList<PbxSignal>();
    for (var legs : calls) out.addAll(callSignals(pbx, legs));
    return out;
  }

  private static List<PbxSignal> callSignals(String pbx, List<Row> legs) {
    Row first = legs.get(0);
    Row last = legs.stream().filter(r -> r.stage() != null && !r.stage().isBlank()).reduce((a, b) -> b).orElse(legs.get(legs.size() - 1));
    String id = first.linkedId();
    Instant started = legs.stream().map(Row::start).min(Comparator.naturalOrder()).orElse(first.start());
    Instant ended = legs.stream().map(Row::end).max(Comparator.naturalOrder()).orElse(last.end());
    String did = first.did() == null || first.did().isBlank() ? first.dst() : first.did();
    String stage = last.stage() == null ? "" : last.stage().toUpperCase();
    var s = new ArrayList<PbxSignal>();
    s.add(new PbxSignal.CallStarted(pbx, id, started, first.src(), null, did, blankToNull(first.source())));
    Row queueLeg = legs.stream().filter(r -> "Queue".equalsIgnoreCase(r.lastApp())).findFirst().orElse(null);
    String queue = queueLeg == null ? null : queueLeg.lastData().split(",")[0];
    Row answered = legs.stream().filter(r -> "ANSWERED".equals(r.disposition()) && r.dstChannel() != null && !r.dstChannel().isBlank()).findFirst().orElse(null);
    Row voicemail = legs.stream().filter(r -> "VoiceMail".equalsIgnoreCase(r.lastApp())).findFirst().orElse(null);
    Instant vmAt = voicemail != null ? voicemail.start() : ended;
    switch (stage) {
      case "ANSWERED" -> {
        if (answered != null) {
          if (queue != null) {
            s.add(new PbxSignal.QueueJoined(pbx, id, queueLeg.start(), queue, 0));
            s.add(new PbxSignal.AgentConnected(pbx, id, answered.answer(), queue, legName(answered.dstChannel())));
          } else {
            s.add(new PbxSignal.DialEnded(pbx, id, answered.answer(), legName(answered.dstChannel()), "ANSWER"));
          }
        }
      }
      case "AFTERHOURS" -> s.add(new PbxSignal.AfterHours(pbx, id, started));
      case "QUEUE" -> {
        s.add(new PbxSignal.QueueJoined(pbx, id, queueLeg != null ? queueLeg.start() : started, queue != null ? queue : "queue", 0));
        String qs = blankToNull(last.queueStatus());
        if (qs != null) s.add(new PbxSignal.QueueLeft(pbx, id, vmAt, queue, qs));
      }
      case "DIAL" -> {
        Row dial = legs.stream().filter(r -> "Dial".equalsIgnoreCase(r.lastApp())).findFirst().orElse(first);
        s.add(new PbxSignal.AgentRinging(pbx, id, dial.start(), null, legName(dial.dstChannel())));
        String ds = blankToNull(last.dialStatus());
        if (ds != null) s.add(new PbxSignal.DialEnded(pbx, id, voicemail != null ? voicemail.start() : dial.end(), legName(dial.dstChannel()), ds));
      }
      default -> { } // IVR or nothing: the hang-up decides
    }
    if (last.voicemail() || voicemail != null) s.add(new PbxSignal.VoicemailEntered(pbx, id, vmAt, voicemail != null ? voicemail.lastData() : null));
    s.add(new PbxSignal.Hangup(pbx, id, ended, 16));
    return s;
  }

  private static String legName(String channel) {
    if (channel == null || channel.isBlank()) return null;
    int dash = channel.lastIndexOf('-');
    return dash > 0 ? channel.substring(0, dash) : channel;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Instant epoch(String s) {
    if (s == null || s.isBlank()) return null;
    double d = Double.parseDouble(s);
    if (d <= 0) return null;
    long micros = Math.round(d * 1_000_000d);
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
  }

  static List<String> splitCsv(String line) {
    var out = new ArrayList<String>();
    var cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
