package switchboard.ivr;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The caller's side of an interview, as the script sees it: play prompts, read keys, leave word for the dialplan.
 * The PBX adapter implements it over FastAGI. Every method throws {@link CallerHungUp} once the caller is gone.
 */
public interface CallerLine {
    /** Any key interrupts a prompt. */
    String ANY_KEY = "0123456789*#";

    /**
     * Plays {@code prompts} in order (any key interrupts), then reads up to {@code maxDigits} keys, waiting
     * {@code timeout}; "" when nothing was pressed. {@code #} ends the input early.
     */
    String read(List<String> prompts, Duration timeout, int maxDigits);

    /** Plays a prompt; a key of {@code escape} interrupts it and is returned, else 0. */
    char play(String prompt, String escape);

    /** Says {@code digits} one by one; a key of {@code escape} interrupts and is returned, else 0. */
    char sayDigits(String digits, String escape);

    /** Says a moment in words ({@code format} as Asterisk's SAY DATETIME, e.g. "A" weekday, "I p" hour). */
    char sayTime(ZonedDateTime at, String format, String escape);

    /** Sets a channel variable for the dialplan after the script (SB_QUALIFY_NEXT, …). */
    void set(String variable, String value);
}
