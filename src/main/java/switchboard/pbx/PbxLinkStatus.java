package switchboard.pbx;

import java.util.concurrent.atomic.AtomicReference;

/** The state of one AMI link, for {@code /readyz}. Written by the link actor, read by anyone. */
public final class PbxLinkStatus {
    public enum State {
        CONNECTING,
        CONNECTED,
        RECONNECTING,
        AUTH_FAILED,
        DOWN
    }

    public record Snapshot(State state, String detail) {
        public boolean ready() {
            return state == State.CONNECTED;
        }

        public String describe() {
            return detail == null || detail.isBlank()
                    ? state.name().toLowerCase()
                    : state.name().toLowerCase() + ": " + detail;
        }
    }

    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(State.CONNECTING, null));

    void set(State state, String detail) {
        current.set(new Snapshot(state, detail));
    }

    public Snapshot get() {
        return current.get();
    }
}
