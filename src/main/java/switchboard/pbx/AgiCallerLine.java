package switchboard.pbx;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.LongConsumer;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.ivr.CallerHungUp;
import switchboard.ivr.CallerLine;

/**
 * The interview's caller line over one FastAGI connection. Every AGI command is a blocking round trip on this
 * call's own server thread. Measures the AGI side's response time: from Asterisk's reply to one command until the
 * next command is sent — the time the caller waits on Switchboard, not on audio.
 */
final class AgiCallerLine implements CallerLine {
    private static final Logger log = LoggerFactory.getLogger(AgiCallerLine.class);

    private final AgiChannel channel;
    private final LongConsumer responseNanos;
    private long lastReply;

    AgiCallerLine(AgiChannel channel, LongConsumer responseNanos, long requestReadAt) {
        this.channel = channel;
        this.responseNanos = responseNanos;
        this.lastReply = requestReadAt;
    }

    @Override
    public String read(List<String> prompts, Duration timeout, int maxDigits) {
        var got = new StringBuilder();
        for (int i = 0; i < prompts.size() - 1 && got.isEmpty(); i++) {
            char c = play(prompts.get(i), ANY_KEY);
            if (c != 0) got.append(c);
        }
        if (got.isEmpty() && !prompts.isEmpty()) {
            String last = prompts.get(prompts.size() - 1);
            String digits = command(() -> channel.getData(last, timeout.toMillis(), maxDigits));
            if (!"-1".equals(digits)) return digits == null ? "" : digits;
            log.warn("Interview prompt {} cannot be played (is it installed?); reading keys without it", last);
        }
        // Keys after a prompt was interrupted (or without a prompt): one at a time, '#' ends.
        while (got.length() < maxDigits) {
            char c = command(() -> channel.waitForDigit((int) timeout.toMillis()));
            if (c == 0 || c == '#') break;
            got.append(c);
        }
        return got.toString();
    }

    @Override
    public char play(String prompt, String escape) {
        return command(() -> channel.streamFile(prompt, escape));
    }

    @Override
    public char sayDigits(String digits, String escape) {
        return command(() -> channel.sayDigits(digits, escape));
    }

    @Override
    public char sayTime(ZonedDateTime at, String format, String escape) {
        return command(() -> channel.sayDateTime(
                at.toEpochSecond(), escape, format, at.getZone().getId()));
    }

    @Override
    public void set(String variable, String value) {
        command(() -> {
            channel.setVariable(variable, value == null ? "" : value);
            return null;
        });
    }

    String get(String variable) {
        return command(() -> channel.getVariable(variable));
    }

    private interface Agi<T> {
        T run() throws AgiException;
    }

    private <T> T command(Agi<T> c) {
        long sent = System.nanoTime();
        if (lastReply != 0) responseNanos.accept(sent - lastReply);
        try {
            return c.run();
        } catch (AgiHangupException e) {
            throw new CallerHungUp();
        } catch (AgiException e) {
            // The connection to Asterisk is gone (or the channel with it): as good as a hang-up for this interview.
            log.warn("Interview: AGI command failed ({}); treating the caller as gone", e.getMessage());
            throw new CallerHungUp();
        } finally {
            lastReply = System.nanoTime();
        }
    }
}
