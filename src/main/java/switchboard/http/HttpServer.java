package switchboard.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** Binds the API and unbinds it gracefully on coordinated shutdown. */
public final class HttpServer {
    private HttpServer() {}

    public static CompletionStage<InetSocketAddress> start(
            ActorSystem<?> system, String host, int port, ApiRoutes routes) {
        return Http.get(system)
                .newServerAt(host, port)
                .bind(routes.routes())
                .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(3), system))
                .thenApply(ServerBinding::localAddress);
    }
}
