package switchboard.tools.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line about the machine a benchmark ran on, for its report. */
final class Machine {
    private Machine() {}

    static String describe() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long ram = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return String.format(
                "%d cores (%s), %.1f GB RAM, %s %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), ram / 1e9, os.getName(), os.getVersion());
    }

    /** CPU time this process has used, all threads. */
    static double processCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : 0;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("cpu unknown");
        } catch (Exception e) {
            return "cpu unknown";
        }
    }
}
