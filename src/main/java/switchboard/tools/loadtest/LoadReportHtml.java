package switchboard.tools.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no script, nothing fetched.
 * Charts: detection-latency histograms, backlog, callers on the line, heap and CPU over time, each with the
 * fault windows shaded.
 */
final class LoadReportHtml {
    private LoadReportHtml() {}

    private static final int W = 1080, H = 220, ML = 60, MR = 20, MT = 16, MB = 34;
    private static final Map<String, String> FAULT_COLOURS =
            Map.of("ami-cut", "#f0a202", "node-restart", "#d7263d", "db-pause", "#7b2cbf");

    static String render(LoadReport r) {
        var sb = new StringBuilder(64 * 1024);
        boolean ok = r.lost() + r.duplicated() + r.wrong() == 0;
        var run = r.run();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchboard load test — ")
                .append(esc(run.profile()))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style></head><body>\n");
        sb.append("<h1>Switchboard load test</h1>\n<p class=\"sub\">")
                .append(esc(run.profile()))
                .append(" at ")
                .append(num(run.rate()))
                .append(" calls/s for ")
                .append(run.seconds())
                .append(" s, database ")
                .append(esc(run.database()))
                .append(", started ")
                .append(esc(run.startedAt()))
                .append(", ")
                .append(num(run.wallSeconds()))
                .append(" s with the drain</p>\n");
        sb.append("<p class=\"verdict ")
                .append(ok ? "ok" : "bad")
                .append("\">")
                .append(r.calls())
                .append(" calls against ")
                .append(esc(r.truthSource()))
                .append(": ")
                .append(r.lost())
                .append(" lost, ")
                .append(r.duplicated())
                .append(" duplicated, ")
                .append(r.wrong())
                .append(" wrong</p>\n");

        section(sb, "Faults");
        if (r.faults().isEmpty()) sb.append("<p>No faults injected.</p>\n");
        else {
            sb.append(
                    "<table id=\"faults\"><tr><th>fault</th><th>from</th><th>to</th><th>length</th><th>what happened</th></tr>\n");
            for (var f : r.faults()) {
                sb.append("<tr><td><span class=\"swatch\" style=\"background:")
                        .append(colour(f.kind()))
                        .append("\"></span>")
                        .append(esc(f.kind()))
                        .append("</td><td>")
                        .append(num(f.fromS()))
                        .append(" s</td><td>")
                        .append(num(f.toS()))
                        .append(" s</td><td>")
                        .append(num(f.toS() - f.fromS()))
                        .append(" s</td><td>")
                        .append(esc(f.detail()))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }

        section(sb, "Calls");
        sb.append("<table id=\"reasons\"><tr><th>missed reason</th><th>calls</th></tr>\n");
        r.missedByReason()
                .forEach((k, v) -> sb.append("<tr><td>")
                        .append(esc(k))
                        .append("</td><td>")
                        .append(v)
                        .append("</td></tr>\n"));
        sb.append("<tr><td><b>all missed</b></td><td><b>")
                .append(r.missedByReason().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .append("</b></td></tr></table>\n");

        section(sb, "Detection latency (PBX signal → miss durably stored)");
        var classes = List.of(
                Map.entry("detectionMs", r.detectionMs()),
                Map.entry("detectionAfterWarmupMs", r.detectionAfterWarmupMs()),
                Map.entry("detectionAcrossOutagesMs", r.detectionAcrossOutagesMs()),
                Map.entry("detectionAcrossRestartsMs", r.detectionAcrossRestartsMs()),
                Map.entry("detectionAcrossDbPausesMs", r.detectionAcrossDbPausesMs()));
        var names = Map.of(
                "detectionMs",
                "no fault touched the call",
                "detectionAfterWarmupMs",
                "of them, misses after the warm-up",
                "detectionAcrossOutagesMs",
                "on the line during an AMI outage",
                "detectionAcrossRestartsMs",
                "on the line during a node restart",
                "detectionAcrossDbPausesMs",
                "on the line during a database pause");
        sb.append(
                "<table id=\"latency\"><tr><th>calls</th><th>misses</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>\n");
        for (var c : classes) {
            var l = c.getValue();
            sb.append("<tr><td>")
                    .append(names.get(c.getKey()))
                    .append("</td><td>")
                    .append(l.samples())
                    .append("</td><td>")
                    .append(ms(l.p50()))
                    .append("</td><td>")
                    .append(ms(l.p95()))
                    .append("</td><td>")
                    .append(ms(l.p99()))
                    .append("</td><td>")
                    .append(ms(l.max()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        for (var c : classes) {
            if (c.getValue().samples() == 0 && !c.getKey().equals("detectionMs")) continue;
            sb.append("<h3>")
                    .append(names.get(c.getKey()))
                    .append(" — ")
                    .append(c.getValue().samples())
                    .append(" misses <span class=\"unit\">(misses per latency bucket)</span></h3>\n");
            histogram(sb, c.getKey(), c.getValue());
        }

        section(sb, "Lost, duplicated and wrong outcomes");
        if (r.problems().isEmpty())
            sb.append("<p class=\"ok-text\">None: every call has exactly the outcome the PBX gave it.</p>\n");
        else {
            sb.append(
                    "<table id=\"problems\"><tr><th>problem</th><th>call id</th><th>expected</th><th>got</th><th>hit by</th></tr>\n");
            for (var p : r.problems()) {
                sb.append("<tr class=\"")
                        .append(esc(p.kind()))
                        .append("\"><td>")
                        .append(esc(p.kind()))
                        .append("</td><td><code>")
                        .append(esc(p.callId()))
                        .append("</code></td><td>")
                        .append(esc(p.expected()))
                        .append("</td><td>")
                        .append(esc(p.got()))
                        .append("</td><td>")
                        .append(esc(String.join(", ", p.hitBy())))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
            if (r.problemsNotListed() > 0)
                sb.append("<p>… and ").append(r.problemsNotListed()).append(" more (see the JSON counts).</p>\n");
        }

        section(sb, "Callbacks and overflow");
        var a = r.pbx();
        if (a == null)
            sb.append(
                    "<p id=\"pbx-activity\">Not measured: the simulator's Originate and Redirect counters are not wired into the load test yet.</p>\n");
        else {
            sb.append("<table id=\"pbx-activity\"><tr><th>callbacks: Originates placed on the PBX</th><td>")
                    .append(a.originates())
                    .append("</td></tr>")
                    .append("<tr><th>max concurrent originated channels</th><td>")
                    .append(a.maxConcurrentOriginated())
                    .append(" (limit ")
                    .append(a.callbackLimit() == null ? "none configured" : a.callbackLimit())
                    .append(")</td></tr>")
                    .append("<tr><th>overflow: Redirects</th><td>")
                    .append(a.redirects())
                    .append("</td></tr></table>\n");
        }

        section(sb, "Over time");
        var s = r.samples();
        double tMax = Math.max(
                1,
                Math.max(
                        run.wallSeconds(), s.isEmpty() ? 0 : s.get(s.size() - 1).t()));
        legend(sb, r);
        chart(
                sb,
                "backlog",
                "Backlog: calls finished on the PBX, outcome not stored yet",
                r,
                tMax,
                List.of(new Series("backlog", "#d7263d", x -> x.backlog())),
                "calls",
                true);
        chart(
                sb,
                "line",
                "Callers on the line",
                r,
                tMax,
                List.of(new Series("on the line", "#1b998b", x -> x.onTheLine())),
                "callers",
                true);
        chart(sb, "heap", "Heap used", r, tMax, List.of(new Series("heap", "#2e86ab", x -> x.heapMb())), "MB", true);
        chart(sb, "cpu", "Process CPU", r, tMax, List.of(new Series("cpu", "#555", x -> x.cpuCores())), "cores", false);
        linkStrip(sb, r, tMax);

        section(sb, "Resources");
        var res = r.resources();
        sb.append("<table id=\"resources\"><tr><th>heap max</th><td>")
                .append(res.maxHeapMb())
                .append(" MB</td></tr><tr><th>heap at end</th><td>")
                .append(res.endHeapMb())
                .append(" MB</td></tr><tr><th>heap limit</th><td>")
                .append(res.heapLimitMb())
                .append(" MB</td></tr><tr><th>CPU average</th><td>")
                .append(num(res.cpuCoresAvg()))
                .append(" cores of ")
                .append(res.cores())
                .append("</td></tr><tr><th>CPU max (one second)</th><td>")
                .append(num(res.cpuCoresMax()))
                .append(" cores</td></tr></table>\n");

        section(sb, "Run");
        sb.append("<table id=\"options\"><tr><th>machine</th><td>")
                .append(esc(run.machine()))
                .append("</td></tr>\n");
        run.options()
                .forEach((k, v) -> sb.append("<tr><th>")
                        .append(esc(k))
                        .append("</th><td>")
                        .append(v == null ? "—" : esc(String.valueOf(v)))
                        .append("</td></tr>\n"));
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }

    private record Series(String name, String colour, ToDoubleFunction<LoadReport.Sample> value) {}

    private static void section(StringBuilder sb, String title) {
        sb.append("<h2>").append(esc(title)).append("</h2>\n");
    }

    private static void histogram(StringBuilder sb, String id, LoadReport.Latency l) {
        var buckets = l.histogram();
        int top = buckets.stream().mapToInt(LoadReport.Bucket::count).max().orElse(0);
        double bw = (W - ML - MR) / (double) buckets.size();
        double ph = H - MT - MB;
        sb.append("<svg id=\"hist-")
                .append(id)
                .append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" role=\"img\">\n");
        double max = axisY(sb, top, true);
        for (int i = 0; i < buckets.size(); i++) {
            var b = buckets.get(i);
            double h = b.count() * ph / max;
            double x = ML + i * bw;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %d</title></rect>%n",
                    x + 3,
                    MT + ph - h,
                    bw - 6,
                    h,
                    esc(b.label()),
                    b.count()));
            if (b.count() > 0)
                sb.append(String.format(
                        Locale.ROOT,
                        "<text class=\"count\" x=\"%.1f\" y=\"%.1f\">%d</text>%n",
                        x + bw / 2,
                        MT + ph - h - 3,
                        b.count()));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text class=\"xl\" x=\"%.1f\" y=\"%d\">%s</text>%n",
                    x + bw / 2,
                    H - MB + 16,
                    esc(b.label())));
        }
        sb.append("</svg>\n");
    }

    private static void chart(
            StringBuilder sb,
            String id,
            String title,
            LoadReport r,
            double tMax,
            List<Series> series,
            String unit,
            boolean whole) {
        var s = r.samples();
        double max = 0;
        for (var x : s) for (var ser : series) max = Math.max(max, ser.value().applyAsDouble(x));
        double ph = H - MT - MB;
        sb.append("<h3>")
                .append(esc(title))
                .append(" <span class=\"unit\">(")
                .append(esc(unit))
                .append(")</span></h3>\n<svg id=\"chart-")
                .append(id)
                .append("\" class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" role=\"img\">\n");
        faults(sb, r, tMax, MT, ph);
        double yMax = axisY(sb, max, whole);
        axisX(sb, tMax, r.run().placingEndedS(), ph);
        for (var ser : series) {
            sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"")
                    .append(ser.colour())
                    .append("\" stroke-width=\"2\" points=\"");
            for (var x : s) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%.1f,%.1f ",
                        xOf(x.t(), tMax),
                        MT + ph - ser.value().applyAsDouble(x) * ph / yMax));
            }
            sb.append("\"><title>").append(esc(ser.name())).append("</title></polyline>\n");
        }
        sb.append("</svg>\n");
    }

    /** A band per second: green while the simulator had a logged-in AMI session, red while not, grey while no node ran. */
    private static void linkStrip(StringBuilder sb, LoadReport r, double tMax) {
        int h = 70;
        sb.append("<h3>AMI link and node</h3>\n<svg id=\"chart-link\" class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(h)
                .append("\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(h)
                .append("\" role=\"img\">\n");
        faults(sb, r, tMax, 4, 30);
        double prev = 0;
        for (var x : r.samples()) {
            String c = !x.nodeUp() ? "#999" : x.amiUp() ? "#7ac74f" : "#d7263d";
            double x0 = xOf(prev, tMax), x1 = xOf(x.t(), tMax);
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"link\" x=\"%.1f\" y=\"12\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>%n",
                    x0,
                    Math.max(0.5, x1 - x0),
                    c));
            prev = x.t();
        }
        sb.append("<text class=\"yl\" x=\"").append(ML - 6).append("\" y=\"23\">link</text>\n");
        xTicks(sb, tMax, 50);
        sb.append(
                        "</svg>\n<p class=\"note\"><span class=\"swatch\" style=\"background:#7ac74f\"></span>AMI logged in <span class=\"swatch\" style=\"background:#d7263d\"></span>no AMI session ")
                .append("<span class=\"swatch\" style=\"background:#999\"></span>node down (restart)</p>\n");
    }

    private static void faults(StringBuilder sb, LoadReport r, double tMax, double top, double height) {
        for (var f : r.faults()) {
            double x0 = xOf(f.fromS(), tMax), x1 = xOf(f.toS(), tMax);
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"fault fault-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.22\"><title>%s</title></rect>%n",
                    esc(f.kind()),
                    x0,
                    top,
                    Math.max(1.5, x1 - x0),
                    height,
                    colour(f.kind()),
                    esc(f.label())));
        }
    }

    private static void legend(StringBuilder sb, LoadReport r) {
        sb.append("<p class=\"note\">Shaded: ");
        for (var kind : List.of("ami-cut", "node-restart", "db-pause")) {
            sb.append("<span class=\"swatch\" style=\"background:")
                    .append(colour(kind))
                    .append(";opacity:.5\"></span>")
                    .append(kind)
                    .append(" ");
        }
        sb.append(
                "· dashed line: traffic stops, the drain begins. Backlog is a lower bound while calls are on the line (a miss to voicemail or an answer is stored before the call ends).</p>\n");
    }

    /** Draws the y grid and labels for values 0..max and returns the axis maximum (a whole number of nice steps). */
    private static double axisY(StringBuilder sb, double max, boolean whole) {
        double step = step(max / 4, whole);
        double yMax = Math.max(step, Math.ceil(max / step - 1e-9) * step);
        double ph = H - MT - MB;
        for (double v = 0; v <= yMax + step / 2; v += step) {
            double y = MT + ph - ph * v / yMax;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/><text class=\"yl\" x=\"%d\" y=\"%.1f\">%s</text>%n",
                    ML,
                    W - MR,
                    y,
                    y,
                    ML - 6,
                    y + 4,
                    num(v)));
        }
        return yMax;
    }

    /** 1, 2 or 5 × 10^n at or above v (at least 1 for whole numbers). */
    static double step(double v, boolean whole) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        double out = 10 * p;
        for (double m : new double[] {1, 2, 5}) {
            if (m * p >= v) {
                out = m * p;
                break;
            }
        }
        return whole ? Math.max(1, Math.ceil(out)) : out;
    }

    private static void axisX(StringBuilder sb, double tMax, double placingEnded, double ph) {
        xTicks(sb, tMax, MT + ph + 16);
        double x = xOf(placingEnded, tMax);
        sb.append(String.format(
                Locale.ROOT,
                "<line class=\"drain\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>%n",
                x,
                x,
                MT,
                MT + ph));
    }

    private static void xTicks(StringBuilder sb, double tMax, double y) {
        double step = step(tMax / 10, true);
        for (double t = 0; t <= tMax + 1e-9; t += step) {
            sb.append(String.format(
                    Locale.ROOT, "<text class=\"xl\" x=\"%.1f\" y=\"%.1f\">%s s</text>%n", xOf(t, tMax), y, num(t)));
        }
    }

    private static double xOf(double t, double tMax) {
        return ML + t * (W - ML - MR) / tMax;
    }

    private static String colour(String kind) {
        return FAULT_COLOURS.getOrDefault(kind, "#888");
    }

    private static String ms(double ms) {
        return ms >= 1000 ? num(ms / 1000) + " s" : num(ms) + " ms";
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    static String esc(String s) {
        if (s == null) return "";
        var sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:24px auto;max-width:1100px;padding:0 10px}
      h1{font-size:24px;margin:0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:14px;margin:14px 0 4px;color:#444}
      .sub{color:#666;margin:4px 0 12px}.verdict{font-size:16px;font-weight:600;padding:8px 12px;border-radius:4px;display:inline-block}
      .verdict.ok{background:#e3f4e0;color:#1e6b12}.verdict.bad{background:#fbe1e4;color:#9b1024}.ok-text{color:#1e6b12}
      table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ddd;padding:3px 10px;text-align:left;vertical-align:top}th{background:#f5f5f5;font-weight:600}
      tr.lost td{background:#fdecee}tr.duplicated td{background:#fff4e0}tr.wrong td{background:#f3e8fb}
      .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 4px -1px 0}
      .chart{display:block;background:#fff}.chart .grid{stroke:#eee}.chart text{font-size:11px;fill:#555}
      .chart .yl{text-anchor:end}.chart .xl,.chart .count{text-anchor:middle}.unit{color:#888;font-weight:400}
      .chart .bar{fill:#2e86ab}.chart .drain{stroke:#333;stroke-dasharray:4 3}.note{color:#666;font-size:12px}
      code{font-size:12px}
      """;
}
