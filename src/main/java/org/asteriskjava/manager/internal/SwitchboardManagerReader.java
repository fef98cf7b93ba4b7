package org.asteriskjava.manager.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ProtocolIdentifierReceivedEvent;
import org.asteriskjava.manager.internal.backwardsCompatibility.BackwardsCompatibilityForManagerEvents;
import org.asteriskjava.manager.response.ManagerResponse;
import org.asteriskjava.util.DateUtil;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI reader thread: frames off the socket, events and responses out to the connection — the same protocol
 * handling as Asterisk-Java 3.42's {@link ManagerReaderImpl} (its loop, its header rules, its response builder and
 * its backwards-compatibility events), with events built by {@link FastEventBuilder} instead of the library's
 * per-header regex and reflection.
 *
 * <p>Why: there is one reader thread per PBX connection, so its cost per event caps how many calls one PBX link can
 * carry, however many cores the node has. Profiled under {@code loadtest} the stock reader was the busiest thread
 * of the node (~0.4 core at 50 calls/s, ~60 % of it building events); see docs/benchmarks.md.
 */
final class SwitchboardManagerReader implements ManagerReader {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardManagerReader.class);
    private static final String[] PROTOCOL_IDENTIFIERS = {
        "Asterisk Call Manager/",
        "Asterisk Call Manager Proxy/",
        "Asterisk Manager Proxy/",
        "OpenPBX Call Manager/",
        "CallWeaver Call Manager/"
    };

    private final Dispatcher rawDispatcher;
    private final Object source;
    private final FastEventBuilder eventBuilder = new FastEventBuilder();
    private final ResponseBuilder responseBuilder = new ResponseBuilderImpl();
    private final BackwardsCompatibilityForManagerEvents compatibility = new BackwardsCompatibilityForManagerEvents();
    private final Map<String, Class<? extends ManagerResponse>> expectedResponseClasses = new ConcurrentHashMap<>();
    private volatile SocketConnectionFacade socket;
    private volatile boolean die;
    private volatile boolean dead;
    private volatile IOException terminationException;

    SwitchboardManagerReader(Dispatcher dispatcher, Object source) {
        this.rawDispatcher = dispatcher;
        this.source = source;
    }

    @Override
    public void setSocket(SocketConnectionFacade socket) {
        this.socket = socket;
    }

    @Override
    public void registerEventClass(Class<? extends ManagerEvent> eventClass) {
        eventBuilder.registerEventClass(eventClass);
    }

    @Override
    public void deregisterEventClass(Class<? extends ManagerEvent> eventClass) {
        eventBuilder.deregisterEventClass(eventClass);
    }

    @Override
    public void expectResponseClass(String internalActionId, Class<? extends ManagerResponse> responseClass) {
        expectedResponseClasses.put(internalActionId, responseClass);
    }

    @Override
    public void run() {
        var socket = this.socket;
        if (socket == null) throw new IllegalStateException("Unable to run: socket is null.");
        die = false;
        dead = false;
        // Listeners run on the pump's thread, as with the stock reader: a slow listener never stalls the socket.
        var dispatcher =
                new AsyncEventPump(this, rawDispatcher, Thread.currentThread().getName());
        Map<String, Object> buffer = new HashMap<>();
        try {
            String line;
            while (!die && (line = socket.readLine()) != null) {
                if (isProtocolIdentifier(line)) {
                    var identified = new ProtocolIdentifierReceivedEvent(source);
                    identified.setProtocolIdentifier(line);
                    identified.setDateReceived(DateUtil.getDate());
                    dispatcher.dispatchEvent(identified, null);
                } else if ("Follows".equals(buffer.get("response")) && line.endsWith("--END COMMAND--")) {
                    buffer.put(COMMAND_RESULT_RESPONSE_KEY, line);
                } else if (!line.isEmpty()) {
                    addHeader(buffer, line);
                } else {
                    dispatchFrame(buffer, dispatcher);
                    buffer.clear();
                }
            }
            log.debug("Reached end of stream, terminating reader.");
        } catch (IOException e) {
            terminationException = e;
            log.info("Terminating reader thread: {}", e.getMessage());
        } catch (RuntimeException e) {
            if (terminationException == null) terminationException = new IOException(e);
            log.error("AMI reader exiting on an unexpected error", e);
        } finally {
            dead = true;
            var disconnected = new DisconnectEvent(source);
            disconnected.setDateReceived(DateUtil.getDate());
            dispatcher.dispatchEvent(disconnected, null);
            dispatcher.stop();
        }
    }

    private void dispatchFrame(Map<String, Object> buffer, Dispatcher dispatcher) {
        if (buffer.containsKey("event")) {
            var event = eventBuilder.buildEvent(source, buffer);
            if (event == null) return; // unknown type: the library's builder has logged it once
            event.setDateReceived(DateUtil.getDate());
            dispatcher.dispatchEvent(event, null);
            var secondary = compatibility.handleEvent(event);
            if (secondary != null) dispatcher.dispatchEvent(secondary, null);
        } else if (buffer.containsKey("response")) {
            var response = buildResponse(buffer);
            if (response != null) dispatcher.dispatchResponse(response, null);
        } else if (!buffer.isEmpty()) {
            log.debug("AMI frame with neither Response nor Event ignored");
        }
    }

    private ManagerResponse buildResponse(Map<String, Object> buffer) {
        Class<? extends ManagerResponse> responseClass = null;
        var internalActionId = ManagerUtil.getInternalActionId((String) buffer.get("actionid"));
        if (internalActionId != null) responseClass = expectedResponseClasses.remove(internalActionId);
        var response = responseBuilder.buildResponse(responseClass, buffer);
        if (response != null) response.setDateReceived(DateUtil.getDate());
        return response;
    }

    private static boolean isProtocolIdentifier(String line) {
        if (line.isEmpty() || (line.charAt(0) != 'A' && line.charAt(0) != 'O' && line.charAt(0) != 'C')) return false;
        for (var prefix : PROTOCOL_IDENTIFIERS) if (line.startsWith(prefix)) return true;
        return false;
    }

    /**
     * One header line into the frame's buffer, by the stock reader's rules: the name lower-cased and trimmed, the
     * value trimmed, a line without a colon or with an empty name skipped, a repeated name (ChanVariable, Output, …)
     * collected into a list in arrival order.
     */
    static void addHeader(Map<String, Object> buffer, String line) {
        int colon = line.indexOf(':');
        if (colon < 0) return;
        var name = HEADER_NAMES.lowerCase(line, colon);
        if (name.isEmpty()) return;
        int start = colon + 1, end = line.length();
        while (start < end && line.charAt(start) <= ' ') start++;
        while (end > start && line.charAt(end - 1) <= ' ') end--;
        var value = line.substring(start, end); // String.trim()'s rule: everything up to U+0020 is blank
        var current = buffer.putIfAbsent(name, value);
        if (current == null) return;
        if (current instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            var values = (List<Object>) list;
            values.add(value);
        } else {
            var values = new ArrayList<Object>(4);
            values.add(current.toString());
            values.add(value);
            buffer.put(name, values);
        }
    }

    private static final HeaderNames HEADER_NAMES = new HeaderNames();

    /**
     * Header names as the frame buffer keys them (lower-cased, trimmed), one shared instance per name: a PBX sends
     * the same few hundred names over and over, and a shared string keeps its hash, so the buffer and the event
     * builder's tables look it up without hashing it again. Bounded, in case a PBX sends endless new names.
     */
    private static final class HeaderNames {
        private static final int MAX = 4096;
        private final Map<String, String> names = new ConcurrentHashMap<>();

        String lowerCase(String line, int colon) {
            var raw = line.substring(0, colon);
            var name = names.get(raw);
            if (name != null) return name;
            name = raw.toLowerCase(Locale.ENGLISH).trim();
            if (names.size() < MAX) names.putIfAbsent(raw, name);
            return name;
        }
    }

    @Override
    public void die() {
        die = true;
    }

    @Override
    public boolean isDead() {
        return dead;
    }

    @Override
    public IOException getTerminationException() {
        return terminationException;
    }
}
