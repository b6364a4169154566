package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's {@code /containers/{id}/top} answer, as dockerd 20.10 gives it for an nginx container. */
class ContainerProcessTest {
    @Test
    void pidAndCommandComeFromTheColumnsTheTitlesName() {
        List<String> titles = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        List<List<String>> rows = List.of(
                List.of("root", "4711", "4690", "0", "16:01", "?", "00:00:00", "nginx: master process nginx -g daemon off;"),
                List.of("101", "4790", "4711", "0", "16:02", "?", "00:00:00", "nginx: worker process is shutting down"),
                List.of("101", "4801", "4711", "0", "16:02", "?", "00:00:00", "nginx: worker process"));
        assertEquals(List.of(new ContainerProcess("4711", "nginx: master process nginx -g daemon off;"),
                new ContainerProcess("4790", "nginx: worker process is shutting down"),
                new ContainerProcess("4801", "nginx: worker process")), ContainerProcess.fromTop(titles, rows));
        // ps -o pid,args names the column COMMAND; an answer without the columns gives nothing to observe
        assertEquals(List.of(new ContainerProcess("7", "caddy run")),
                ContainerProcess.fromTop(List.of("PID", "COMMAND"), List.of(List.of("7", "caddy run"))));
        assertEquals(List.of(), ContainerProcess.fromTop(List.of("USER"), List.of(List.of("root"))));
    }
}
