package switchboard.tools.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import switchboard.call.MissedCallClassifier;
import switchboard.call.MissedCallClassifier.Ending;
import switchboard.pbx.CdrBackfill;
import switchboard.tools.sim.CallTemplate;

/**
 * Ground truth for a load test against a real PBX: what Asterisk's own call records (the CDR file that
 * asterisk-config/cdr_custom.conf writes, stamped by the dialplan's hang-up handler) say became of each inbound
 * call. Independent of the AMI stream the node decides from, so a call the adapter lost, misread or decided twice
 * shows up against it. The decision rules are the node's own classifier: this checks the AMI path, not the rules.
 */
final class RealPbxTruth {
    private RealPbxTruth() {}

    /** Expected outcome per call id ({@code pbx:linkedid}) for the inbound calls that started at or after {@code since}. */
    static Map<String, CallTemplate.Expected> fromCdrFile(
            Path cdrFile, String pbxId, Instant since, Duration shortAbandon) throws IOException {
        var rows = new ArrayList<CdrBackfill.Row>();
        if (!Files.exists(cdrFile)) return Map.of(); // Asterisk creates it with the first call
        for (String line : Files.readAllLines(cdrFile, StandardCharsets.UTF_8)) {
            var row = line.isBlank() ? null : CdrBackfill.parse(line.strip());
            if (row != null) rows.add(row);
        }
        return fromRows(rows, pbxId, since, shortAbandon);
    }

    static Map<String, CallTemplate.Expected> fromRows(
            List<CdrBackfill.Row> rows, String pbxId, Instant since, Duration shortAbandon) {
        var byCall = new LinkedHashMap<String, List<CdrBackfill.Row>>();
        for (var r : rows)
            if (r.linkedId() != null && !r.linkedId().isBlank())
                byCall.computeIfAbsent(r.linkedId(), k -> new ArrayList<>()).add(r);
        var classifier = new MissedCallClassifier(shortAbandon);
        var out = new LinkedHashMap<String, CallTemplate.Expected>();
        for (var legs : byCall.values()) {
            legs.sort(Comparator.comparingLong(CdrBackfill.Row::sequence));
            var caller = legs.stream()
                    .filter(r -> r.uniqueId().equals(r.linkedId())
                            && r.did() != null
                            && !r.did().isBlank())
                    .findFirst()
                    .orElse(null);
            var last = legs.stream()
                    .filter(r -> r.stage() != null && !r.stage().isBlank())
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (caller == null
                    || last == null
                    || caller.start() == null
                    || caller.start().isBefore(since)) continue; // not one of our inbound calls
            Instant start = legs.stream()
                    .map(CdrBackfill.Row::start)
                    .filter(t -> t != null)
                    .min(Comparator.naturalOrder())
                    .orElse(caller.start());
            Instant end = legs.stream()
                    .map(CdrBackfill.Row::end)
                    .filter(t -> t != null)
                    .max(Comparator.naturalOrder())
                    .orElse(start);
            String stage = last.stage().toUpperCase();
            boolean voicemail = legs.stream().anyMatch(r -> r.voicemail() || "VoiceMail".equalsIgnoreCase(r.lastApp()));
            String source = caller.source() == null || caller.source().isBlank() ? null : caller.source();
            String id = pbxId + ":" + caller.linkedId();
            if (stage.equals("ANSWERED")) {
                out.put(id, new CallTemplate.Expected("answered", null, source, voicemail));
                continue;
            }
            String queueStatus = blankToNull(last.queueStatus());
            String dialStatus = blankToNull(last.dialStatus());
            var facts = new MissedCallClassifier.Facts(
                    start,
                    stage.equals("AFTERHOURS"),
                    stage.equals("QUEUE") && queueStatus == null,
                    stage.equals("DIAL") && dialStatus == null,
                    stage.equals("QUEUE") ? queueStatus : null,
                    stage.equals("DIAL") ? dialStatus : null);
            var reason = classifier.classify(facts, voicemail ? Ending.VOICEMAIL : Ending.HANGUP, end);
            out.put(id, new CallTemplate.Expected("missed", reason.name(), source, voicemail));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
