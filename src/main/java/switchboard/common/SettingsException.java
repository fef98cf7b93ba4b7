package switchboard.common;

/** A setting that stops start-up. The message is one line that names the key (and its env variable). */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
