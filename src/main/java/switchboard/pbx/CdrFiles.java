package switchboard.pbx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the recent end of Asterisk's CDR file. Blocking: call it on the blocking dispatcher. */
final class CdrFiles {
    private static final Logger log = LoggerFactory.getLogger(CdrFiles.class);
    /** The file only grows; the calls of a gap are at its end. */
    static final long TAIL_BYTES = 16L << 20;

    private CdrFiles() {}

    /**
     * The rows of one call, waiting up to {@code timeout} for Asterisk to write them (it does as the call's
     * channels go away, just after the AMI Hangup). Empty if they never come.
     */
    static List<CdrBackfill.Row> awaitCall(Path file, String linkedId, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var rows = tail(file, 1L << 20).stream()
                    .filter(r -> linkedId.equals(r.linkedId()))
                    .toList();
            // The hang-up handler stamps the call's last record with its stage: that record closes the call.
            if (rows.stream().anyMatch(r -> r.stage() != null && !r.stage().isBlank()) || System.nanoTime() > deadline)
                return rows;
            try {
                Thread.sleep(
                        100); // polling a file Asterisk appends to; runs on the blocking dispatcher, never in an actor
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return rows;
            }
        }
    }

    static List<CdrBackfill.Row> tail(Path file) {
        return tail(file, TAIL_BYTES);
    }

    static List<CdrBackfill.Row> tail(Path file, long maxBytes) {
        var rows = new ArrayList<CdrBackfill.Row>();
        if (!Files.isReadable(file)) {
            log.warn("CDR file {} is not readable; calls during AMI gaps cannot be recovered", file);
            return rows;
        }
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - maxBytes);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            long offset = start;
            if (start > 0) { // skip the partial first line
                int firstEnd = text.indexOf('\n') + 1;
                offset += text.substring(0, firstEnd).getBytes(StandardCharsets.UTF_8).length;
                text = text.substring(firstEnd);
            }
            var lines = new ArrayList<CdrBackfill.Line>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) lines.add(new CdrBackfill.Line(offset, line.strip()));
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            rows.addAll(CdrBackfill.readAll(lines, (line, reason) -> reportOnce(file, line.offset(), reason)));
        } catch (IOException e) {
            log.warn("CDR file {} could not be read: {}", file, e.toString());
        }
        return rows;
    }

    /** Malformed lines already reported (file and byte offset): the file is re-read at every gap and call end. */
    private static final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** One error per malformed line, naming where it is and why, never its text (it holds phone numbers). */
    private static void reportOnce(Path file, long offset, String reason) {
        if (reported.size() > 10_000) reported.clear();
        if (reported.add(file.toAbsolutePath() + "@" + offset)) {
            log.error(
                    "CDR file {}: the line at byte {} is not a CDR row ({}); skipped, the other lines are read",
                    file,
                    offset,
                    reason);
        } else {
            log.debug("CDR file {}: the line at byte {} is still not a CDR row ({})", file, offset, reason);
        }
    }
}
