package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Feeds what docker-java really throws (docker-offline.md) to the translator. */
class DockerErrorsTest {
    private static final String ADDR = "unix:///nope.sock";

    private static String unreachable(Throwable raw) {
        RuntimeException e = DockerErrors.translate(ADDR, "container x", raw);
        assertInstanceOf(EngineUnreachableException.class, e);
        assertEquals(ADDR, ((EngineUnreachableException) e).address());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Cannot reach Docker at " + ADDR + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aMissingSocketSaysNoSuchSocket() {
        String msg = unreachable(new RuntimeException(new SocketException("No such file or directory")));
        assertEquals("Cannot reach Docker at unix:///nope.sock: no such socket. Is dockerd running?"
                + " Set DOCKER_HOST or -Dsancho.dockerHost.", msg);
    }

    @Test
    void aRefusedConnectionSaysConnectionRefused() {
        assertTrue(unreachable(new RuntimeException(new ConnectException("Connection refused")))
                .contains(": connection refused."));
    }

    @Test
    void aSocketWithoutPermissionHintsAtTheDockerGroup() {
        String msg = unreachable(new RuntimeException(new BindException("Permission denied")));
        assertTrue(msg.contains("permission denied"), msg);
        assertTrue(msg.contains("docker group"), msg);
        assertTrue(msg.contains("sudo"), msg);
    }

    @Test
    void anUnknownHostNamesTheHost() {
        String msg = unreachable(new RuntimeException(
                new UnknownHostException("dockerhost.invalid: Name or service not known")));
        assertTrue(msg.contains("unknown host dockerhost.invalid."), msg);
    }

    @Test
    void aTimeoutSaysTimedOut() {
        assertTrue(unreachable(new RuntimeException(new SocketTimeoutException("Read timed out")))
                .contains("timed out"));
    }

    @Test
    void anyOtherIoProblemIsStillUnreachableAndOneLine() {
        String msg = unreachable(new RuntimeException(new IOException("weird\nthing")));
        assertTrue(msg.contains("weird thing"), msg);
    }

    @Test
    void notFoundNamesTheObject() {
        RuntimeException e = DockerErrors.translate(ADDR, "container sancho_db",
                new NotFoundException("{\"message\":\"No such container: sancho_db\"}\n"));
        assertInstanceOf(DockerOperationException.class, e);
        assertEquals("no such container: sancho_db", e.getMessage());
    }

    @Test
    void notFoundWithoutSubjectKeepsTheEnginesWords() {
        RuntimeException e = DockerErrors.translate(ADDR, null,
                new NotFoundException("Status 404: {\"message\":\"No such image: sancho-it/app:9\"}\n"));
        assertEquals("No such image: sancho-it/app:9", e.getMessage());
    }

    @Test
    void otherEngineErrorsCarryTheEnginesMessageOnOneLine() {
        RuntimeException e = DockerErrors.translate(ADDR, "container x", new ConflictException(
                "Status 409: {\"message\":\"You cannot remove a running container \\\"abc\\\".\"}\n"));
        assertInstanceOf(DockerOperationException.class, e);
        assertEquals("You cannot remove a running container \"abc\".", e.getMessage());

        e = DockerErrors.translate(ADDR, null, new BadRequestException("Status 400: {\"message\":\"client version 1.44 is too new. Maximum supported API version is 1.41\"}"));
        assertEquals("client version 1.44 is too new. Maximum supported API version is 1.41", e.getMessage());

        e = DockerErrors.translate(ADDR, null, new InternalServerErrorException("Status 500: plain text\nsecond line"));
        assertEquals("plain text second line", e.getMessage());
    }

    @Test
    void ourOwnExceptionsPassThrough() {
        NameConflictException conflict = new NameConflictException("sancho_db", null);
        assertTrue(conflict == DockerErrors.translate(ADDR, null, conflict));
    }

    @Test
    void aNonIoBugIsAnOperationErrorNotUnreachable() {
        RuntimeException e = DockerErrors.translate(ADDR, null, new IllegalStateException("boom"));
        assertInstanceOf(DockerOperationException.class, e);
        assertEquals("boom", e.getMessage());
    }
}
