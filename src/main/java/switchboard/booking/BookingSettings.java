package switchboard.booking;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import switchboard.common.SettingsReader;

/**
 * The contractor's booking rules and dispatch board ({@code switchboard.booking}): office hours and holidays in the
 * contractor's zone, the rule table (the shipped one unless {@code rules} is given), where an emergency goes in and
 * out of hours, and the boards — which flows book into which board, and each weekday's arrival windows with their
 * capacity ({@code "08:00-12:00 x3"}).
 */
public record BookingSettings(
        OpenHours hours,
        BookingRules rules,
        Handover emergencyInHours,
        Handover emergencyAfterHours,
        BoardPlan board,
        Map<Flow, String> boardOfFlow,
        int daysAhead) {

    /**
     * Office hours and boards when the configuration gives none. Not in switchboard-defaults.conf on purpose: HOCON
     * would merge a contractor's own weekdays and windows into these instead of replacing them.
     */
    static final String SHIPPED = """
            hours { monday = "07:00-18:00", tuesday = "07:00-18:00", wednesday = "07:00-18:00",
                    thursday = "07:00-18:00", friday = "07:00-18:00" }
            boards {
              service {
                flows = [BOOK_SERVICE, MEMBERSHIP]
                windows {
                  monday = ["08:00-12:00 x2", "12:00-16:00 x2"], tuesday = ["08:00-12:00 x2", "12:00-16:00 x2"]
                  wednesday = ["08:00-12:00 x2", "12:00-16:00 x2"], thursday = ["08:00-12:00 x2", "12:00-16:00 x2"]
                  friday = ["08:00-12:00 x2", "12:00-16:00 x2"]
                }
              }
              estimate { flows = [ESTIMATE, INSTALL], windows { tuesday = ["13:00-17:00 x1"], thursday = ["13:00-17:00 x1"] } }
            }
            """;

    public static BookingSettings read(SettingsReader given) {
        var shipped = given.over(com.typesafe.config.ConfigFactory.parseString(SHIPPED));
        var r = given;
        ZoneId zone;
        try {
            zone = ZoneId.of(r.string("time-zone"));
        } catch (DateTimeException e) {
            throw r.bad(
                    "time-zone", "must be a time zone such as America/New_York, got '" + r.string("time-zone") + "'");
        }
        var holidays = new LinkedHashSet<LocalDate>();
        for (var d : r.stringList("holidays")) {
            try {
                holidays.add(LocalDate.parse(d.trim()));
            } catch (DateTimeException e) {
                throw r.bad("holidays", "dates are written like 2026-12-25, got '" + d + "'");
            }
        }
        var week = new EnumMap<DayOfWeek, OpenHours.Range>(DayOfWeek.class);
        var hoursFrom = r.has("hours") ? r : shipped;
        weekdays(hoursFrom, "hours", v -> v).forEach((day, text) -> {
            if (!text.isBlank()) week.put(day, range(hoursFrom, "hours." + name(day), text));
        });
        var hours = new OpenHours(zone, week, holidays);

        var rules = r.has("rules") ? rules(r) : BookingRules.defaults();

        var boards = new LinkedHashMap<String, Map<DayOfWeek, List<BoardPlan.Slot>>>();
        var boardOfFlow = new EnumMap<Flow, String>(Flow.class);
        var boardsFrom = r.has("boards") ? r : shipped;
        var blocks = boardsFrom.block("boards");
        for (var id : new TreeMap<>(blocks.root()).keySet()) {
            String key = "boards." + id;
            if (!id.matches("[a-z0-9][a-z0-9_-]{0,39}"))
                throw r.bad(key, "a board id is lower-case letters, digits, '-' or '_'");
            var b = boardsFrom.at(key);
            for (var f : b.stringList("flows")) {
                var flow = enumOf(r, key + ".flows", Flow.class, f);
                if (boardOfFlow.put(flow, id) != null) throw r.bad(key + ".flows", flow + " books into two boards");
            }
            var slots = new EnumMap<DayOfWeek, List<BoardPlan.Slot>>(DayOfWeek.class);
            var windows = b.block("windows");
            for (var dayName : windows.root().keySet()) {
                var day = day(r, key + ".windows." + dayName, dayName);
                var list = new ArrayList<BoardPlan.Slot>();
                for (var w : b.stringList("windows." + dayName)) list.add(slot(r, key + ".windows." + dayName, w));
                slots.put(day, List.copyOf(list));
            }
            boards.put(id, slots);
        }
        return new BookingSettings(
                hours,
                rules,
                handover(r, "emergency.in-hours"),
                handover(r, "emergency.after-hours"),
                new BoardPlan(zone, boards, holidays),
                Map.copyOf(boardOfFlow),
                r.intIn("days-ahead", 1, 90));
    }

    private static Handover handover(SettingsReader r, String key) {
        try {
            return Handover.parse(r.string(key));
        } catch (IllegalArgumentException e) {
            throw r.bad(key, e.getMessage());
        }
    }

    /** Where an emergency goes at {@code state} of the office hours. */
    public Handover emergency(OpenHours.State state) {
        return state == OpenHours.State.OPEN ? emergencyInHours : emergencyAfterHours;
    }

    /** The rule table as written in HOCON, read through {@link RuleTable} — the same shape and checks as the API's. */
    private static BookingRules rules(SettingsReader r) {
        var written = new ArrayList<RuleTable.Written>();
        var blocks = r.blocks("rules");
        for (int i = 0; i < blocks.size(); i++) {
            String key = "rules[" + i + "]";
            Config c = blocks.get(i);
            try {
                var when = c.hasPath("when") ? c.getConfig("when") : null;
                written.add(new RuleTable.Written(
                        c.hasPath("name") ? c.getString("name") : null,
                        when == null
                                ? null
                                : new RuleTable.When(
                                        list(when, "services"),
                                        list(when, "kinds"),
                                        bool(when, "offered"),
                                        bool(when, "in-area"),
                                        list(when, "urgency"),
                                        list(when, "customer"),
                                        list(when, "hours"),
                                        bool(when, "free-window"),
                                        bool(when, "complete")),
                        c.hasPath("then") ? c.getString("then") : null));
            } catch (ConfigException e) {
                throw r.bad(
                        key, "is not a rule (" + e.getMessage() + "); a rule is { name = …, when { … }, then = FLOW }");
            }
        }
        try {
            return RuleTable.parse(written, null);
        } catch (RuleTable.BadRule e) {
            throw r.bad(e.field(), e.problem());
        }
    }

    private static List<String> list(Config c, String key) {
        return c.hasPath(key) ? c.getStringList(key) : null;
    }

    private static Boolean bool(Config c, String key) {
        return c.hasPath(key) ? c.getBoolean(key) : null;
    }

    private static Map<DayOfWeek, String> weekdays(SettingsReader r, String key, Function<String, String> f) {
        var out = new EnumMap<DayOfWeek, String>(DayOfWeek.class);
        for (var name : r.block(key).root().keySet())
            out.put(day(r, key + "." + name, name), f.apply(r.string(key + "." + name)));
        return out;
    }

    private static DayOfWeek day(SettingsReader r, String key, String name) {
        try {
            return DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw r.bad(key, "is not a weekday (monday … sunday)");
        }
    }

    private static String name(DayOfWeek d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static OpenHours.Range range(SettingsReader r, String key, String text) {
        try {
            return OpenHours.Range.parse(text);
        } catch (IllegalArgumentException e) {
            throw r.bad(key, e.getMessage());
        }
    }

    /** {@code "08:00-12:00 x3"}: the window and how many jobs it takes. */
    static BoardPlan.Slot slot(SettingsReader r, String key, String text) {
        var m = java.util.regex.Pattern.compile("\\s*(\\S+)\\s+x\\s*(\\d+)\\s*").matcher(text);
        if (!m.matches())
            throw r.bad(
                    key, "a window is written like \"08:00-12:00 x3\" (hours, then how many jobs), got '" + text + "'");
        return new BoardPlan.Slot(range(r, key, m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static <E extends Enum<E>> E enumOf(SettingsReader r, String key, Class<E> type, String v) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw r.bad(key, "'" + v + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
