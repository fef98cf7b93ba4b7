package org.asteriskjava.manager.internal;

/**
 * Asterisk-Java's {@link ManagerConnectionImpl} with Switchboard's reader ({@link SwitchboardManagerReader}) in
 * place of {@link ManagerReaderImpl}; everything else — login, actions, reconnects, listeners — is the library's.
 *
 * <p>This class and the reader live in Asterisk-Java's package because the hook, {@code createReader(Dispatcher,
 * Object)}, takes a type that is package-private there. They are part of Switchboard's PBX adapter ({@code
 * switchboard.pbx.AmiConnection} is their only user); the rest of Switchboard never sees them.
 */
public class SwitchboardManagerConnection extends ManagerConnectionImpl {

    public SwitchboardManagerConnection(String hostname, int port, String username, String password) {
        setHostname(hostname);
        setPort(port);
        setUsername(username);
        setPassword(password);
    }

    @Override
    protected ManagerReader createReader(Dispatcher dispatcher, Object source) {
        return new SwitchboardManagerReader(dispatcher, source);
    }
}
