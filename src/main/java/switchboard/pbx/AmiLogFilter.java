package switchboard.pbx;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Asterisk-Java's "Slow processing of event" warnings (from its reader and from its connection): each prints
 * the whole event, caller numbers unmasked — phone numbers are PII — and they come in bursts exactly when the
 * machine is busiest. Everything else the library says is kept. Switchboard's own AMI link logs what matters
 * (disconnects, unreadable events, detection latency on /metrics) with numbers masked. Installed in logback.xml.
 */
public final class AmiLogFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null
                && format.startsWith("Slow processing of event")
                && logger.getName().startsWith("org.asteriskjava.")) return FilterReply.DENY;
        return FilterReply.NEUTRAL;
    }
}
