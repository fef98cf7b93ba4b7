package switchboard.tools.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import switchboard.pbx.CdrBackfill;
import switchboard.tools.sim.CallTemplate;

/**
 * The CDR file a real Asterisk wrote for each recorded call path says what the call was — the same outcome the
 * recording's expected.tsv gives it — so it can serve as the ground truth of a load test against a real PBX.
 */
class RealPbxTruthTest {
    private static final Path DIR = Path.of("src/main/resources/ami-transcripts");

    @Test
    void theRecordedCdrRowsGiveEachPathItsExpectedOutcome() throws Exception {
        for (var t : CallTemplate.loadAll().values()) {
            var rows = Files.readAllLines(DIR.resolve(t.name() + ".cdr.csv")).stream()
                    .filter(l -> !l.isBlank())
                    .map(CdrBackfill::parse)
                    .toList();
            var truth = RealPbxTruth.fromRows(rows, "main", Instant.EPOCH, Duration.ofSeconds(10));
            assertEquals(1, truth.size(), t.name());
            var got = truth.get("main:" + t.linkedId());
            var want = t.expected();
            assertEquals(want.status(), got.status(), t.name());
            assertEquals(want.reason(), got.reason(), t.name());
            assertEquals(want.source(), got.source(), t.name());
            assertEquals(want.voicemail(), got.voicemail(), t.name());
        }
    }

    @Test
    void callsBeforeTheRunAndRowsThatAreNotInboundCallsAreLeftOut() throws Exception {
        var t = CallTemplate.loadAll().get("queue-abandon");
        var rows = Files.readAllLines(DIR.resolve("queue-abandon.cdr.csv")).stream()
                .filter(l -> !l.isBlank())
                .map(CdrBackfill::parse)
                .toList();
        assertEquals(
                0,
                RealPbxTruth.fromRows(rows, "main", Instant.now(), Duration.ofSeconds(10))
                        .size(),
                "started before the run");
        var legsOnly =
                rows.stream().filter(r -> !r.uniqueId().equals(r.linkedId())).toList();
        assertEquals(
                0,
                RealPbxTruth.fromRows(legsOnly, "main", Instant.EPOCH, Duration.ofSeconds(10))
                        .size(),
                t.name() + ": no caller row");
    }
}
