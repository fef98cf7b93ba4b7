package archfixture.call;

import archfixture.Root;
import archfixture.http.Routes;
import archfixture.tools.Sim;
import io.prometheus.metrics.core.metrics.Counter;
import java.sql.Connection;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.asteriskjava.manager.event.HangupEvent;

/** A domain class that reaches into an adapter, the root, the tools, Asterisk-Java, JDBC, Pekko HTTP and the Prometheus client. */
public final class CallReachingOut {
    Routes routes;
    Root root;
    Sim sim;
    Connection connection;
    HttpResponse response;
    HangupEvent hangup;
    Counter counter;
}
