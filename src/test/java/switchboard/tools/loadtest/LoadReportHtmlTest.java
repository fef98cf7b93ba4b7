package switchboard.tools.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import switchboard.readside.ReadStore;
import switchboard.tools.sim.CallTemplate;

/** The report built from synthetic run facts, and its HTML: the tables and SVG charts reflect the data. */
class LoadReportHtmlTest {
    private static final Instant T0 = Instant.parse("2026-07-15T12:00:00Z");

    private static LoadReport synthetic(String... moreOptions) {
        var missed = new CallTemplate.Expected("missed", "ABANDONED", "LSA", false);
        var answered = new CallTemplate.Expected("answered", null, "PPC", false);
        Map<String, CallTemplate.Expected> truth = Map.of(
                "main:1.1", missed, "main:1.2", missed, "main:1.3", answered, "main:1.4", missed, "main:1.5", answered);
        Map<String, ReadStore.Outcome> seen = Map.of(
                "main:1.1", new ReadStore.Outcome("missed", "ABANDONED", true, 1),
                "main:1.2", new ReadStore.Outcome("missed", "ABANDONED", true, 2), // duplicated
                "main:1.3", new ReadStore.Outcome("missed", "SHORT_ABANDON", true, 1), // wrong
                "main:1.5", new ReadStore.Outcome("answered", null, true, 1)); // main:1.4 lost
        var startedAt = new HashMap<String, Instant>();
        var finishedAt = new HashMap<String, Instant>();
        for (int i = 1; i <= 5; i++) {
            startedAt.put("main:1." + i, T0.plusSeconds(i * 4L));
            finishedAt.put("main:1." + i, T0.plusSeconds(i * 4L + 3));
        }
        var misses = new ArrayList<LoadReport.Miss>();
        long[] latenciesMs = {3, 4, 40, 45, 48, 900}; // buckets ≤5 ms (2), ≤50 ms (3), ≤1 s (1)
        for (int i = 0; i < latenciesMs.length; i++) {
            Instant at = T0.plusSeconds(30 + i);
            misses.add(new LoadReport.Miss("main:2." + i, at.minusSeconds(5), at, at.plusMillis(latenciesMs[i])));
        }
        Instant inCut = T0.plusSeconds(11);
        misses.add(new LoadReport.Miss(
                "main:3.1",
                inCut.minusSeconds(1),
                inCut,
                inCut.plusSeconds(4))); // on the line during the cut, stored after it
        var faults = List.of(
                new LoadReport.Fault("ami-cut", 10, 13, "dropped"),
                new LoadReport.Fault("node-restart", 16, 21, "closed in 2 s"),
                new LoadReport.Fault("db-pause", 50, 53, "paused"));
        var samples = new ArrayList<LoadReport.Sample>();
        for (int t = 1; t <= 60; t++)
            samples.add(new LoadReport.Sample(
                    t,
                    t * 3L,
                    t % 17,
                    t >= 16 && t <= 22 ? 7 : 0,
                    40 + t % 20,
                    0.5 + (t % 5) / 10.0,
                    t < 10 || t > 13,
                    t < 16 || t > 21));
        var args = new ArrayList<>(List.of("--rate", "3", "--duration", "40", "--cut-ami-every", "10"));
        args.addAll(List.of(moreOptions));
        var options = LoadTestOptions.parse(args);
        var facts = new LoadReport.Facts(
                options,
                "peak-season",
                3,
                "PostgreSQL",
                T0,
                T0.plusSeconds(40),
                T0.plusSeconds(60),
                truth,
                seen,
                startedAt,
                finishedAt,
                misses,
                faults,
                samples,
                new LoadReport.Resources(120, 80, 1024, 0.6, 1.4, 2),
                new LoadReport.PbxActivity(12, 3, 4, 5));
        return LoadReport.build(facts);
    }

    @Test
    void reportJudgesEveryCallAgainstTheGroundTruth() {
        var r = synthetic();
        assertEquals(5, r.calls());
        assertEquals(1, r.lost());
        assertEquals(1, r.duplicated());
        assertEquals(1, r.wrong());
        assertEquals(
                List.of("duplicated main:1.2", "wrong main:1.3", "lost main:1.4"),
                r.problems().stream().map(p -> p.kind() + " " + p.callId()).toList());
        var lost = r.problems().stream()
                .filter(p -> p.kind().equals("lost"))
                .findFirst()
                .orElseThrow();
        assertEquals("missed ABANDONED", lost.expected());
        assertEquals(List.of("node-restart 16.0-21.0 s"), lost.hitBy(), "call 1.4 (16-19 s) overlaps the restart only");
        assertEquals(6, r.detectionMs().samples());
        assertEquals(1, r.detectionAcrossOutagesMs().samples());
        assertEquals(40.0, r.detectionMs().p50());
        assertEquals(900.0, r.detectionMs().max());
        assertEquals(
                LoadReport.BUCKETS_MS.length + 1, r.detectionMs().histogram().size());
        assertEquals(2, r.detectionMs().histogram().get(2).count(), "≤5 ms");
        assertEquals(3, r.detectionMs().histogram().get(5).count(), "≤50 ms");
        assertEquals(List.of(1, 1, 1), List.of(r.amiCuts(), r.restarts(), r.dbPauses()));
    }

    @Test
    void steadyStateLatencyLeavesTheWarmUpOut() {
        assertEquals(0, synthetic().detectionAfterWarmupMs().samples(), "a 40 s run has no warm-up split by default");
        assertFalse(synthetic().text().contains("warmed up"));
        var r = synthetic("--warmup", "33"); // misses at 30..35 s: the last three (45, 48, 900 ms) count
        assertEquals(6, r.detectionMs().samples());
        assertEquals(3, r.detectionAfterWarmupMs().samples());
        assertEquals(48.0, r.detectionAfterWarmupMs().p50());
        assertEquals(900.0, r.detectionAfterWarmupMs().max());
        assertTrue(r.text().contains("misses from second 33 on (the JVM warmed up): p50 48.0 ms"), r.text());
        assertEquals(30, LoadTestOptions.parse(List.of("--duration", "120")).warmup());
        assertEquals(
                0,
                LoadTestOptions.parse(List.of("--duration", "120", "--warmup", "0"))
                        .warmup());
    }

    @Test
    void loadtestTimesTakeUnits() {
        var o = LoadTestOptions.parse(
                List.of("--duration", "2m", "--warmup", "30s", "--restart-node-at", "40,1m", "--cut-ami-every", "20s"));
        assertEquals(120, o.seconds());
        assertEquals(30, o.warmup());
        assertEquals(List.of(40, 60), o.restartAt());
        assertEquals(20, o.cutEvery());
        var plain = LoadTestOptions.parse(List.of(
                "--duration",
                "90",
                "--pause-db-every",
                "30",
                "--pause-db-for",
                "3",
                "--agents",
                "4",
                "--spike",
                "3@20+30"));
        assertEquals(90, plain.seconds());
        assertEquals(30, plain.pauseDbEvery());
        assertEquals(3, plain.pauseDbFor());
        assertEquals("--agents 4 --spike 3@20+30", plain.asMap().get("traffic"));
    }

    @Test
    void htmlChartsAndTablesShowTheData() throws Exception {
        var r = synthetic();
        String html = LoadReportHtml.render(r);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "loadtest-report-sample.html"), html); // to look at in a browser

        // Self-contained: no script, nothing fetched.
        assertFalse(html.contains("<script"), "no JavaScript");
        assertFalse(Pattern.compile("(src|href)=\"?https?:").matcher(html).find(), "no external URL");
        assertFalse(html.contains("url("), "no CSS fetch");

        // One bar per histogram bucket, heights ordered like the counts.
        String hist = svg(html, "hist-detectionMs");
        assertEquals(r.detectionMs().histogram().size(), count(hist, "class=\"bar\""));
        var heights = new ArrayList<Double>();
        Matcher m = Pattern.compile("class=\"bar\"[^>]*height=\"([0-9.]+)\"").matcher(hist);
        while (m.find()) heights.add(Double.parseDouble(m.group(1)));
        assertTrue(
                heights.get(5) > heights.get(2)
                        && heights.get(2) > heights.get(9)
                        && heights.get(9) > 0
                        && heights.get(0) == 0,
                heights.toString());
        assertTrue(html.contains("id=\"hist-detectionAcrossOutagesMs\""), "the outage class has its own histogram");
        assertFalse(html.contains("id=\"hist-detectionAcrossDbPausesMs\""), "no histogram for a class without misses");

        // Every fault window is shaded on every time chart; a series point per sample.
        for (String chart : List.of("chart-backlog", "chart-line", "chart-heap", "chart-cpu")) {
            String svg = svg(html, chart);
            assertEquals(1, count(svg, "fault fault-ami-cut"), chart);
            assertEquals(1, count(svg, "fault fault-node-restart"), chart);
            assertEquals(1, count(svg, "fault fault-db-pause"), chart);
            String points = svg.substring(svg.indexOf("points=\"") + 8, svg.indexOf('"', svg.indexOf("points=\"") + 8))
                    .trim();
            assertEquals(r.samples().size(), points.split(" ").length, chart);
        }
        // The backlog line is at the bottom (y of 0) outside 16-22 s and above it inside.
        String backlog = svg(html, "chart-backlog");
        String[] pts = backlog.substring(
                        backlog.indexOf("points=\"") + 8, backlog.indexOf('"', backlog.indexOf("points=\"") + 8))
                .trim()
                .split(" ");
        double y0 = Double.parseDouble(pts[0].split(",")[1]), y18 = Double.parseDouble(pts[17].split(",")[1]);
        assertTrue(y18 < y0, "backlog 7 is drawn higher than 0: " + y18 + " vs " + y0);

        // The problems table names each bad call with what was expected.
        String problems = table(html, "problems");
        assertTrue(
                problems.contains("main:1.4")
                        && problems.contains("missed ABANDONED")
                        && problems.contains("nothing stored"),
                problems);
        assertTrue(problems.contains("main:1.2") && problems.contains("2 outcomes"), problems);
        assertTrue(problems.contains("main:1.3") && problems.contains("SHORT_ABANDON"), problems);
        assertTrue(html.contains("1 lost, 1 duplicated, 1 wrong"));
        assertTrue(table(html, "faults").contains("closed in 2 s"));
        assertTrue(table(html, "pbx-activity").contains("12")
                && table(html, "pbx-activity").contains("limit 4"));
        assertTrue(table(html, "options").contains("cutAmiEvery"));
    }

    @Test
    void unwiredPbxActivityIsSaidNotZero() {
        var r = synthetic();
        var unwired = new LoadReport(
                r.run(),
                r.calls(),
                r.missedByReason(),
                r.detectionMs(),
                r.detectionAfterWarmupMs(),
                r.detectionAcrossOutagesMs(),
                r.detectionAcrossRestartsMs(),
                r.detectionAcrossDbPausesMs(),
                0,
                0,
                0,
                List.of(),
                0,
                r.resources(),
                null,
                0,
                0,
                0,
                List.of(),
                r.samples());
        String html = LoadReportHtml.render(unwired);
        assertTrue(html.contains("Not measured"));
        assertTrue(unwired.text().contains("callbacks / overflow: not counted"));
        assertTrue(html.contains("None: every call has exactly the outcome"));
    }

    private static String svg(String html, String id) {
        int i = html.indexOf("<svg id=\"" + id + "\"");
        assertTrue(i >= 0, "no svg " + id);
        return html.substring(i, html.indexOf("</svg>", i));
    }

    private static String table(String html, String id) {
        int i = html.indexOf("id=\"" + id + "\"");
        assertTrue(i >= 0, "no table " + id);
        return html.substring(i, html.indexOf("</table>", i));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
