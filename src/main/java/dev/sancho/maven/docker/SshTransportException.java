package dev.sancho.maven.docker;

import java.net.ConnectException;

/**
 * The ssh process behind a connection ended before the engine answered; the message says why in one line (see
 * {@link SshFailure}). A {@link ConnectException}, so the HTTP client does not retry it: a retry would only start
 * another ssh that fails the same way.
 */
final class SshTransportException extends ConnectException {
    SshTransportException(String message) {
        super(message);
    }
}
