package switchboard.common;

import java.util.Map;

/** What {@code /readyz} reports: each component's state, and whether the node can do its job. */
public record HealthReport(boolean ready, Map<String, String> components) {}
