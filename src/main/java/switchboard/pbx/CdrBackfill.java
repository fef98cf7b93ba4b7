package switchboard.pbx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
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
    public record Row(
            String uniqueId,
            String linkedId,
            Instant start,
            Instant answer,
            Instant end,
            String src,
            String dst,
            String dcontext,
            String channel,
            String dstChannel,
            String lastApp,
            String lastData,
            String disposition,
            String source,
            String did,
            String stage,
            String queueStatus,
            String dialStatus,
            boolean voicemail,
            long sequence) {}

    private CdrBackfill() {}

    /** The columns of a row (cdr_custom.conf's {@code fields}). */
    static final int COLUMNS = 22;

    private static final String[] NAMES = {
        "uniqueid",
        "linkedid",
        "start",
        "answer",
        "end",
        "duration",
        "billsec",
        "src",
        "dst",
        "dcontext",
        "channel",
        "dstchannel",
        "lastapp",
        "lastdata",
        "disposition",
        "sb_source",
        "sb_did",
        "sb_stage",
        "sb_queuestatus",
        "sb_dialstatus",
        "sb_voicemail",
        "sequence"
    };

    /**
     * Asterisk's CDR CSV: cdr_custom with {@code quoting_method = all} and {@code quote_escape_character = "} (or the
     * legacy {@code CSV_QUOTE} mapping) — RFC 4180: every field in double quotes, a quote inside a field doubled, a
     * comma inside quotes is text. Strict: a quote that does not close its field, or text after a closing quote,
     * makes the line malformed rather than silently shifting the columns.
     */
    private static final CSVFormat CDR_CSV = CSVFormat.RFC4180
            .builder()
            .setRecordSeparator("\n")
            .setIgnoreEmptyLines(false)
            .get();

    /** Parses one CSV line; null for a line that is not a CDR row ({@link #read} says why). */
    public static Row parse(String line) {
        try {
            return read(line);
        } catch (MalformedRow e) {
            return null;
        }
    }

    /** Parses one CSV line into a row, or says why it is not one (never quoting the line: it holds phone numbers). */
    static Row read(String line) throws MalformedRow {
        return row(splitCsv(line));
    }

    private static Row row(List<String> f) throws MalformedRow {
        if (f.size() < COLUMNS) throw new MalformedRow(f.size() + " fields, a CDR row has " + COLUMNS);
        int i = 2;
        try {
            Instant start = epoch(f.get(2)), answer = epoch(f.get(i = 3)), end = epoch(f.get(i = 4));
            i = 21;
            long sequence = Long.parseLong(f.get(21).isBlank() ? "0" : f.get(21));
            return new Row(
                    f.get(0),
                    f.get(1),
                    start,
                    answer,
                    end,
                    f.get(7),
                    f.get(8),
                    f.get(9),
                    f.get(10),
                    f.get(11),
                    f.get(12),
                    f.get(13),
                    f.get(14),
                    f.get(15),
                    f.get(16),
                    f.get(17),
                    f.get(18),
                    f.get(19),
                    "yes".equalsIgnoreCase(f.get(20)),
                    sequence);
        } catch (NumberFormatException e) {
            throw new MalformedRow(NAMES[i] + " (column " + (i + 1) + ") is not a number");
        }
    }

    /** A line of a CDR file: where it starts (a byte offset, for the log) and its text. */
    record Line(long offset, String text) {}

    /** Told about each line that is not a CDR row, and why. */
    interface MalformedLines {
        void report(Line line, String reason);
    }

    /** Lines parsed with one parser: a record only counts when it is exactly one line (see {@link #readAll}). */
    private static final int CHUNK_LINES = 4096;

    /**
     * The rows of many lines, in order. One parser reads a chunk of lines (a parser per line costs ten times as much);
     * Asterisk writes one record per line, so a record that does not start where its line does or holds a line break
     * means a line with broken quoting took the next ones with it: the lines before it count, that line is parsed
     * on its own (and reported), and reading goes on after it. Nothing but the malformed line is lost.
     */
    static List<Row> readAll(List<Line> lines, MalformedLines malformed) {
        var rows = new ArrayList<Row>(lines.size());
        int next = 0;
        while (next < lines.size())
            next = readChunk(lines, next, Math.min(lines.size(), next + CHUNK_LINES), rows, malformed);
        return rows;
    }

    /** Reads lines {@code from} until {@code to} or the first line that spoils the parse; the index to go on from. */
    private static int readChunk(List<Line> lines, int from, int to, List<Row> rows, MalformedLines malformed) {
        var text = new StringBuilder();
        long[] starts = new long[to - from];
        for (int k = from; k < to; k++) {
            starts[k - from] = text.length();
            text.append(lines.get(k).text()).append('\n');
        }
        int j = 0;
        try (var parser = CSVParser.parse(text.toString(), CDR_CSV)) {
            for (CSVRecord record : parser) {
                if (j >= starts.length || record.getCharacterPosition() != starts[j] || spansLines(record)) break;
                try {
                    rows.add(row(record.toList()));
                } catch (MalformedRow e) {
                    malformed.report(lines.get(from + j), e.getMessage());
                }
                j++;
            }
            if (j == starts.length) return to;
        } catch (IOException | UncheckedIOException e) {
            // a quoting error in line from + j or (an unclosed quote) soon after it: that line on its own says which
        }
        var line = lines.get(from + j);
        try {
            rows.add(read(line.text()));
        } catch (MalformedRow e) {
            malformed.report(line, e.getMessage());
        }
        return from + j + 1;
    }

    private static boolean spansLines(CSVRecord record) {
        for (String value : record) {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) return true;
        }
        return false;
    }

    /** Why a line is not a CDR row. */
    static final class MalformedRow extends Exception {
        MalformedRow(String reason) {
            super(reason, null, false, false);
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
            if (r == null || r.linkedId() == null || r.linkedId().isBlank() || skipLinkedIds.contains(r.linkedId()))
                continue;
            byCall.computeIfAbsent(r.linkedId(), k -> new ArrayList<>()).add(r);
        }
        var calls = new ArrayList<List<Row>>();
        for (var legs : byCall.values()) {
            legs.sort(Comparator.comparingLong(Row::sequence));
            Instant end = legs.stream()
                    .map(Row::end)
                    .filter(e -> e != null)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            boolean inbound = legs.stream()
                    .anyMatch(r -> r.uniqueId().equals(r.linkedId())
                            && r.did() != null
                            && !r.did().isBlank());
            if (inbound && end != null && !end.isBefore(since)) calls.add(legs);
        }
        calls.sort(Comparator.comparing(legs -> legs.get(0).start()));
        var out = new ArrayList<PbxSignal>();
        for (var legs : calls) out.addAll(callSignals(pbx, legs));
        return out;
    }

    private static List<PbxSignal> callSignals(String pbx, List<Row> legs) {
        Row first = legs.get(0);
        Row last = legs.stream()
                .filter(r -> r.stage() != null && !r.stage().isBlank())
                .reduce((a, b) -> b)
                .orElse(legs.get(legs.size() - 1));
        String id = first.linkedId();
        Instant started =
                legs.stream().map(Row::start).min(Comparator.naturalOrder()).orElse(first.start());
        Instant ended =
                legs.stream().map(Row::end).max(Comparator.naturalOrder()).orElse(last.end());
        String did = first.did() == null || first.did().isBlank() ? first.dst() : first.did();
        String stage = last.stage() == null ? "" : last.stage().toUpperCase();
        var s = new ArrayList<PbxSignal>();
        s.add(new PbxSignal.CallStarted(pbx, id, started, first.src(), null, did, blankToNull(first.source())));
        Row queueLeg = legs.stream()
                .filter(r -> "Queue".equalsIgnoreCase(r.lastApp()))
                .findFirst()
                .orElse(null);
        String queue = queueLeg == null ? null : queueLeg.lastData().split(",")[0];
        Row answered = legs.stream()
                .filter(r -> "ANSWERED".equals(r.disposition())
                        && r.dstChannel() != null
                        && !r.dstChannel().isBlank())
                .findFirst()
                .orElse(null);
        Row voicemail = legs.stream()
                .filter(r -> "VoiceMail".equalsIgnoreCase(r.lastApp()))
                .findFirst()
                .orElse(null);
        Instant vmAt = voicemail != null ? voicemail.start() : ended;
        switch (stage) {
            case "ANSWERED" -> {
                if (answered != null) {
                    if (queue != null) {
                        s.add(new PbxSignal.QueueJoined(pbx, id, queueLeg.start(), queue, 0));
                        s.add(new PbxSignal.AgentConnected(
                                pbx, id, answered.answer(), queue, legName(answered.dstChannel())));
                    } else {
                        s.add(new PbxSignal.DialEnded(
                                pbx, id, answered.answer(), legName(answered.dstChannel()), "ANSWER"));
                    }
                }
            }
            case "AFTERHOURS" -> s.add(new PbxSignal.AfterHours(pbx, id, started));
            case "QUEUE" -> {
                s.add(new PbxSignal.QueueJoined(
                        pbx, id, queueLeg != null ? queueLeg.start() : started, queue != null ? queue : "queue", 0));
                String qs = blankToNull(last.queueStatus());
                if (qs != null) s.add(new PbxSignal.QueueLeft(pbx, id, vmAt, queue, qs));
            }
            case "DIAL" -> {
                Row dial = legs.stream()
                        .filter(r -> "Dial".equalsIgnoreCase(r.lastApp()))
                        .findFirst()
                        .orElse(first);
                s.add(new PbxSignal.AgentRinging(pbx, id, dial.start(), null, legName(dial.dstChannel())));
                String ds = blankToNull(last.dialStatus());
                if (ds != null)
                    s.add(new PbxSignal.DialEnded(
                            pbx,
                            id,
                            voicemail != null ? voicemail.start() : dial.end(),
                            legName(dial.dstChannel()),
                            ds));
            }
            default -> {} // IVR or nothing: the hang-up decides
        }
        if (last.voicemail() || voicemail != null)
            s.add(new PbxSignal.VoicemailEntered(pbx, id, vmAt, voicemail != null ? voicemail.lastData() : null));
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

    /** The fields of one CSV line (see {@link #CDR_CSV}). */
    static List<String> splitCsv(String line) throws MalformedRow {
        try (var parser = CSVParser.parse(line, CDR_CSV)) {
            var records = parser.getRecords();
            if (records.size() != 1) throw new MalformedRow(records.isEmpty() ? "empty" : "more than one line");
            return records.get(0).toList();
        } catch (IOException | UncheckedIOException e) {
            // commons-csv: "EOF reached before encapsulated token finished", "Invalid character between encapsulated
            // token and delimiter"
            String reason = e instanceof UncheckedIOException u && u.getCause() != null
                    ? u.getCause().getMessage()
                    : e.getMessage();
            throw new MalformedRow("bad quoting: " + reason);
        }
    }
}
