package switchboard.qualify;

import java.util.List;
import java.util.Map;
import switchboard.common.DecisionLogic;

/**
 * Where the contractor works, per service: ZIP codes (five digits, exact) and ZIP prefixes (one to four digits,
 * e.g. {@code 276} for Raleigh). A service without a list of its own uses {@code everywhere}; an empty
 * {@code everywhere} means no area is configured, and every ZIP is served; a service listed with an empty list is
 * served nowhere.
 */
@DecisionLogic
public record ServiceArea(List<String> everywhere, Map<String, List<String>> perService) {

    public ServiceArea {
        everywhere = List.copyOf(everywhere);
        perService = Map.copyOf(perService);
        everywhere.forEach(ServiceArea::checkPattern);
        perService.values().forEach(l -> l.forEach(ServiceArea::checkPattern));
    }

    public static ServiceArea anywhere() {
        return new ServiceArea(List.of(), Map.of());
    }

    /** Whether {@code zip} is served for {@code service} (any service when null). */
    public boolean covers(String service, String zip) {
        if (zip == null || !zip.matches("\\d{5}")) return false;
        if (service != null && perService.containsKey(service))
            return perService.get(service).stream().anyMatch(zip::startsWith); // an empty list: served nowhere
        return everywhere.isEmpty() || everywhere.stream().anyMatch(zip::startsWith);
    }

    private static void checkPattern(String p) {
        if (p == null || !p.matches("\\d{1,5}"))
            throw new IllegalArgumentException(
                    "a service-area entry is a ZIP (5 digits) or a ZIP prefix (1-4 digits), got '" + p + "'");
    }
}
