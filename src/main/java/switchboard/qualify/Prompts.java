package switchboard.qualify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The interview's sound files, named as Asterisk plays them (no extension; {@code switchboard/sb-zip} is
 * {@code <sounds>/en/switchboard/sb-zip.wav}). The shipped English set is in {@code asterisk-config/sounds}; a
 * contractor replaces a file with their own recording, or names another file here
 * ({@code switchboard.qualify.prompts}). The service question is the menu's own prompts, one per option.
 */
public record Prompts(
        String welcomeCallback,
        String welcomeAfterHours,
        String welcomeOverflow,
        String sorry,
        String zip,
        String youEntered,
        String zipConfirm,
        String urgency,
        String customer,
        String windows,
        String press1For,
        String press2For,
        String between,
        String and,
        String windowTaken,
        String oneMoment,
        String booked,
        String goodbye,
        String notServiceable,
        String transfer) {

    /** The configuration keys, in the order of the record, with the shipped file of each. */
    public static final Map<String, String> SHIPPED = shipped();

    private static Map<String, String> shipped() {
        var m = new LinkedHashMap<String, String>();
        m.put("welcome-callback", "switchboard/sb-welcome");
        m.put("welcome-after-hours", "switchboard/sb-welcome-after-hours");
        m.put("welcome-overflow", "switchboard/sb-welcome-overflow");
        m.put("sorry", "switchboard/sb-sorry");
        m.put("zip", "switchboard/sb-zip");
        m.put("you-entered", "switchboard/sb-you-entered");
        m.put("zip-confirm", "switchboard/sb-zip-confirm");
        m.put("urgency", "switchboard/sb-urgency");
        m.put("customer", "switchboard/sb-customer");
        m.put("windows", "switchboard/sb-windows");
        m.put("press-1-for", "switchboard/sb-press-1-for");
        m.put("press-2-for", "switchboard/sb-press-2-for");
        m.put("between", "switchboard/sb-between");
        m.put("and", "switchboard/sb-and");
        m.put("window-taken", "switchboard/sb-window-taken");
        m.put("one-moment", "switchboard/sb-one-moment");
        m.put("booked", "switchboard/sb-booked");
        m.put("goodbye", "switchboard/sb-goodbye");
        m.put("not-serviceable", "switchboard/sb-not-serviceable");
        m.put("transfer", "switchboard/sb-transfer");
        return java.util.Collections.unmodifiableMap(m);
    }

    public static Prompts defaults() {
        return of(SHIPPED::get);
    }

    /** The prompts by configuration key (each key of {@link #SHIPPED}). */
    public static Prompts of(UnaryOperator<String> byKey) {
        return new Prompts(
                byKey.apply("welcome-callback"),
                byKey.apply("welcome-after-hours"),
                byKey.apply("welcome-overflow"),
                byKey.apply("sorry"),
                byKey.apply("zip"),
                byKey.apply("you-entered"),
                byKey.apply("zip-confirm"),
                byKey.apply("urgency"),
                byKey.apply("customer"),
                byKey.apply("windows"),
                byKey.apply("press-1-for"),
                byKey.apply("press-2-for"),
                byKey.apply("between"),
                byKey.apply("and"),
                byKey.apply("window-taken"),
                byKey.apply("one-moment"),
                byKey.apply("booked"),
                byKey.apply("goodbye"),
                byKey.apply("not-serviceable"),
                byKey.apply("transfer"));
    }

    /** A file name Asterisk can play: letters, digits, {@code / _ - .}; no spaces, no {@code &} (a list separator). */
    public static boolean playable(String name) {
        return name != null && name.matches("[A-Za-z0-9_./-]+") && !name.contains("..");
    }
}
