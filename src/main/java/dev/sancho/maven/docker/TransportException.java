package dev.sancho.maven.docker;

import java.net.ConnectException;

/**
 * The transport knows why the engine cannot be reached, and says it in one line: the ssh process behind a connection
 * ended before the engine answered ({@link SshFailure}), or a TLS handshake failed ({@link TlsConfig}). A
 * {@link ConnectException}, so the HTTP client does not retry it: a retry would only fail the same way.
 */
final class TransportException extends ConnectException {
    TransportException(String message) {
        super(message);
    }
}
