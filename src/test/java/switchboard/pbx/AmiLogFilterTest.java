package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

/** Asterisk-Java's slow-event warnings (whole events, unmasked numbers) are dropped; its other warnings and ours stay. */
class AmiLogFilterTest {
    @Test
    void dropsOnlyTheSlowProcessingDumps() {
        var context = new LoggerContext();
        var filter = new AmiLogFilter();
        filter.start();
        context.addTurboFilter(filter);
        var list = new ListAppender<ILoggingEvent>();
        list.setContext(context);
        list.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(list);

        var library = context.getLogger("org.asteriskjava.manager.internal.ManagerConnectionImpl");
        library.warn("Slow processing of event {} {}MS \n{}", null, 24, "DialStateEvent[calleridnum='+19194000097']");
        library.warn("Unable to connect to {}", "127.0.0.1:5038");
        context.getLogger("switchboard.pbx.AmiLink").warn("Slow processing of event in our own code stays");

        assertEquals(2, list.list.size(), list.list.toString());
        assertEquals("Unable to connect to 127.0.0.1:5038", list.list.get(0).getFormattedMessage());
    }
}
