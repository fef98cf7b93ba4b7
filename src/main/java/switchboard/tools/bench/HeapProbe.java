package switchboard.tools.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/** Live heap after full collections, and class histograms (the {@code jcmd GC.class_histogram} of this JVM). */
final class HeapProbe {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    private HeapProbe() {}

    /** True when System.gc() is a no-op or concurrent, so the figures below would not mean live data. */
    static boolean explicitGcDisabled() {
        var flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return flags.contains("-XX:+DisableExplicitGC") || flags.contains("-XX:+ExplicitGCInvokesConcurrent");
    }

    /** Used heap after full GCs, repeated until two agree within 256 KB (finalizers and soft references settle). */
    static long usedAfterFullGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 6; i++) {
            System.gc();
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 256 * 1024) break;
            previous = used;
        }
        return used;
    }

    /** Instances and bytes per class of live objects; the diagnostic command runs a full GC first. Empty if unavailable. */
    static Map<String, long[]> histogram() {
        try {
            var name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(name, "gcClassHistogram", new Object[] {new String[0]}, new String[] {
                        String[].class.getName()
                    });
            var out = new HashMap<String, long[]>();
            for (String line : text.split("\n")) {
                var m = ROW.matcher(line);
                if (m.matches())
                    out.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}, (a, b) ->
                            new long[] {a[0] + b[0], a[1] + b[1]});
            }
            return out;
        } catch (Exception | LinkageError e) {
            return Map.of();
        }
    }

    /** One class's growth between two histograms. */
    record ClassGrowth(String className, long instances, long bytes) {}

    /** The classes that grew most in bytes from {@code before} to {@code after}. */
    static List<ClassGrowth> top(Map<String, long[]> before, Map<String, long[]> after, int limit) {
        var rows = new ArrayList<ClassGrowth>();
        after.forEach((cls, a) -> {
            long[] b = before.getOrDefault(cls, new long[2]);
            rows.add(new ClassGrowth(cls, a[0] - b[0], a[1] - b[1]));
        });
        rows.sort((x, y) -> Long.compare(y.bytes(), x.bytes()));
        return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
    }
}
