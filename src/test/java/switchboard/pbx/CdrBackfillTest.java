package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Reading Asterisk's CDR CSV (asterisk-config/cdr_custom.conf: every field quoted, a quote doubled) with commons-csv:
 * quoted commas and quotes, the recorded files read as the hand-written splitter read them, and a malformed line is
 * reported (where and why, not its phone numbers) without losing any other line.
 */
class CdrBackfillTest {
    @TempDir
    Path dir;

    private static String line(String... fields) {
        var out = new StringBuilder();
        for (String f : fields)
            out.append(out.isEmpty() ? "" : ",")
                    .append('"')
                    .append(f.replace("\"", "\"\""))
                    .append('"');
        return out.toString();
    }

    private static String row(String uniqueId, String lastData, String src) {
        return line(
                uniqueId,
                uniqueId,
                "1796152099.371537",
                "0.000000",
                "1796152113.378208",
                "14",
                "0",
                src,
                "+18005550100",
                "sb-queue-route",
                "PJSIP/carrier-00000003",
                "",
                "Queue",
                lastData,
                "NO ANSWER",
                "LSA",
                "+18005550100",
                "QUEUE",
                "TIMEOUT",
                "",
                "yes",
                "7");
    }

    @Test
    void quotedCommasAndQuotesStayInTheirField() throws Exception {
        var r = CdrBackfill.read(row("1796152099.3", "service,r,,,30", "\"Acme, Inc.\" <+19195550101>"));
        assertEquals("service,r,,,30", r.lastData());
        assertEquals("\"Acme, Inc.\" <+19195550101>", r.src());
        assertEquals("+18005550100", r.dst());
        assertEquals("QUEUE", r.stage());
        assertEquals("TIMEOUT", r.queueStatus());
        assertTrue(r.voicemail());
        assertEquals(7, r.sequence());
        assertEquals(Instant.ofEpochSecond(1796152099L, 371_537_000L), r.start());
        assertNull(r.answer(), "0.000000: never answered");
        // The raw text Asterisk writes for it.
        assertEquals(
                List.of("a,b", "say \"hi\"", "", "\""),
                CdrBackfill.splitCsv("\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\""));
    }

    @Test
    void malformedLinesSayWhy() {
        var tooShort = assertThrows(CdrBackfill.MalformedRow.class, () -> CdrBackfill.read(line("1", "2", "3")));
        assertEquals("3 fields, a CDR row has 22", tooShort.getMessage());
        String good = row("1796152099.3", "service", "+19195550101");
        var unclosed = assertThrows(
                CdrBackfill.MalformedRow.class, () -> CdrBackfill.read(good.substring(0, good.length() - 1)));
        assertTrue(unclosed.getMessage().startsWith("bad quoting: "), unclosed.getMessage());
        var trailing = assertThrows(
                CdrBackfill.MalformedRow.class, () -> CdrBackfill.read(good.replace("\"QUEUE\"", "\"QUEUE\"x")));
        assertTrue(trailing.getMessage().startsWith("bad quoting: "), trailing.getMessage());
        var notANumber = assertThrows(
                CdrBackfill.MalformedRow.class,
                () -> CdrBackfill.read(good.replace("\"1796152113.378208\"", "\"soon\"")));
        assertEquals("end (column 5) is not a number", notANumber.getMessage());
        assertNull(CdrBackfill.parse("garbage line that is not a CDR row"));
    }

    @Test
    void aMalformedLineIsReportedAndLosesNothingElse() throws Exception {
        Path file = dir.resolve("switchboard-cdr.csv");
        String before = row("1796152099.3", "service,r,,,30", "+19195550101");
        String broken =
                row("1796152100.4", "service", "+19195550202").replace("\"QUEUE\"", "\"QUE\"UE\""); // a stray quote
        String after = row("1796152101.5", "600@default,u", "+19195550303");
        Files.writeString(file, before + "\n" + broken + "\n" + after + "\n");

        var logger = (Logger) LoggerFactory.getLogger(CdrFiles.class);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            var rows = CdrFiles.tail(file);
            assertEquals(
                    List.of("1796152099.3", "1796152101.5"),
                    rows.stream().map(CdrBackfill.Row::uniqueId).toList());
            assertEquals("600@default,u", rows.get(1).lastData());
            var errors = appender.list.stream()
                    .filter(e -> e.getLevel() == Level.ERROR)
                    .toList();
            assertEquals(1, errors.size(), appender.list.toString());
            String message = errors.get(0).getFormattedMessage();
            assertTrue(
                    message.contains("the line at byte " + (before.length() + 1) + " is not a CDR row (bad quoting: "),
                    message);
            assertFalse(message.contains("+19195550202"), "no phone number in the log");

            CdrFiles.tail(file); // read again (every gap does): no second error for the same line
            assertEquals(
                    1,
                    appender.list.stream()
                            .filter(e -> e.getLevel() == Level.ERROR)
                            .count());
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void anUnclosedQuoteDoesNotTakeTheNextLinesWithIt() throws Exception {
        Path file = dir.resolve("switchboard-cdr.csv");
        var text = new StringBuilder();
        var expected = new ArrayList<String>();
        for (int i = 0; i < 5000; i++) {
            String id = "1796152100." + i;
            String r = row(id, "service,r,,,30", "+19195550101");
            if (i == 10 || i == 49 || i == 4095 || i == 4096 || i == 4999) {
                text.append(r, 0, r.length() - 1).append('\n'); // the last field's closing quote missing
            } else if (i == 50) {
                text.append(
                        "x\"\n"); // garbage that, after line 49's unclosed quote, would parse as the end of line 49's
                // last field
            } else if (i == 20) {
                text.append("garbage line that is not a CDR row\n");
            } else if (i == 30) {
                text.append(r.replace("\"+19195550101\"", "\"+1919\"5550101\"")).append('\n'); // a stray quote
            } else {
                text.append(r).append('\n');
                expected.add(id);
            }
        }
        Files.writeString(file, text);
        var logger = (Logger) LoggerFactory.getLogger(CdrFiles.class);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertEquals(
                    expected,
                    CdrFiles.tail(file).stream().map(CdrBackfill.Row::uniqueId).toList());
            assertEquals(
                    8,
                    appender.list.stream()
                            .filter(e -> e.getLevel() == Level.ERROR)
                            .count(),
                    appender.list.toString());
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void theRecordedFilesReadAsBefore() throws Exception {
        int lines = 0;
        try (Stream<Path> files = Files.list(TranscriptReplayTest.DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cdr.csv")).toList()) {
                for (String l : Files.readAllLines(f)) {
                    if (l.isBlank()) continue;
                    assertEquals(handWrittenSplit(l.strip()), CdrBackfill.splitCsv(l.strip()), f + ": " + l);
                    assertTrue(CdrBackfill.parse(l.strip()) != null, l);
                    lines++;
                }
            }
        }
        assertTrue(lines > 20, lines + " recorded CDR lines");
    }

    /** The splitter CdrBackfill had before commons-csv, kept as the reference for well-formed lines. */
    private static List<String> handWrittenSplit(String line) {
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
