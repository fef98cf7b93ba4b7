package switchboard.pbx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.PingThread;
import org.asteriskjava.manager.SendActionCallback;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.internal.SwitchboardManagerConnection;

/**
 * One PBX's Asterisk-Java connection: opening it, logging in and off, keeping it alive, sending actions. Holds no
 * link state (that is {@link AmiLink}'s); it only makes sure nothing here blocks the caller. Login and logoff
 * block inside the library, so they run on the blocking executor and come back as futures; actions are sent with
 * callbacks, whose replies arrive on the library's event thread in order with the events.
 *
 * <p>After a drop the library reconnects by itself (its reconnect thread) and says so with a {@code ConnectEvent};
 * only the first login is ours to retry (the link does, with backoff).
 */
final class AmiConnection {
    /** Only what classifies calls; VarSet and Newexten come with "dialplan". */
    static final String EVENT_MASK = "system,call,agent,user,dialplan";

    static final int PING_INTERVAL_MS = 5_000;
    static final int READ_TIMEOUT_MS = 12_000;

    private final ManagerConnection connection;
    private final Executor blocking;
    /** Started at the first successful login; touched by the link actor only. */
    private PingThread ping;

    /**
     * {@code listener} runs on the library's single event thread for every event: it must only hand the event on
     * (a slow listener makes the library drop events, see docs/architecture.md).
     */
    AmiConnection(PbxSettings.Ami ami, Executor blocking, Consumer<ManagerEvent> listener) {
        this.blocking = blocking;
        this.connection = new SwitchboardManagerConnection(
                ami.host(), ami.port(), ami.user(), ami.secret()); // a faster reader, see its javadoc
        AmiEvents.registerAll(connection);
        connection.setSocketReadTimeout(READ_TIMEOUT_MS); // notice a frozen PBX / half-open TCP (needs the pings below)
        connection.addEventListener(listener::accept);
    }

    /**
     * Logs in on the blocking executor. Fails with the library's own exception ({@code AuthenticationFailedException},
     * {@code IOException}, {@code TimeoutException} …), unwrapped, so the caller can tell a wrong secret from a PBX
     * that is down.
     */
    CompletionStage<Void> login() {
        var done = new CompletableFuture<Void>();
        CompletableFuture.runAsync(
                        () -> {
                            try {
                                connection.login(EVENT_MASK);
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        },
                        blocking)
                .whenComplete((ok, err) -> {
                    if (err == null) done.complete(null);
                    else done.completeExceptionally(rootCause(err));
                });
        return done;
    }

    /** Pings every few seconds from now on, so a silent PBX trips the read timeout; idempotent. */
    void keepAlive() {
        if (ping != null) return;
        ping = new PingThread(connection);
        ping.setInterval(PING_INTERVAL_MS);
        ping.setDaemon(true);
        ping.start();
    }

    /**
     * Stops pinging and logs off on the blocking executor (the library's logoff waits for Asterisk's reply, and for a
     * login still in progress). Completes when the connection is closed; never fails.
     */
    CompletionStage<Void> logoff() {
        if (ping != null) ping.die();
        try {
            return CompletableFuture.runAsync(this::logoffNow, blocking);
        } catch (RejectedExecutionException e) {
            logoffNow(); // the executor is gone (the actor system is terminating): close it here, as well as we can
            return CompletableFuture.completedFuture(null);
        }
    }

    private void logoffNow() {
        try {
            connection.logoff();
        } catch (RuntimeException e) {
            // not connected
        }
    }

    /** Sends without waiting; the reply comes to {@code callback} on the library's event thread. */
    void send(ManagerAction action, SendActionCallback callback) throws Exception {
        connection.sendAction(action, callback);
    }

    /**
     * Sends an action that answers with a list of events (CoreShowChannels, QueueStatus); the future holds them, or
     * the reason it could not be sent (not connected, a reconnect under way).
     */
    CompletableFuture<List<ResponseEvent>> list(EventGeneratingAction action) {
        var events = new CompletableFuture<List<ResponseEvent>>();
        try {
            connection.sendEventGeneratingAction(action, r -> events.complete(new ArrayList<>(r.getEvents())));
        } catch (Exception e) {
            events.completeExceptionally(e);
        }
        return events;
    }

    static Throwable rootCause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof RuntimeException)
                && t.getCause() != null
                && t.getCause() != t) t = t.getCause();
        return t;
    }
}
