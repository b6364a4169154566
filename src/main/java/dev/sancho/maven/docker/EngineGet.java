package dev.sancho.maven.docker;

import java.io.IOException;

/**
 * The read side of a transport: one GET of the engine's API, answered with its status and whole body. The adapter
 * reads (version, lists, inspects) through this, so a read-only goal ({@code status}, {@code verify}) needs no more
 * than it; the full HTTP client behind the writes is built on the first write only.
 */
interface EngineGet {

    /** The engine's answer to a GET: HTTP status and the body as sent (after de-chunking). */
    record Reply(int status, byte[] body) {}

    /** GET {@code pathAndQuery} (e.g. {@code /containers/json?all=1}), unversioned, as the adapter's other calls. */
    Reply get(String pathAndQuery) throws IOException;
}
