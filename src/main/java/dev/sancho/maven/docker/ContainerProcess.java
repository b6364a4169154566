package dev.sancho.maven.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * One process of a running container as the engine lists it ({@code GET /containers/{id}/top}, {@code docker top}):
 * the engine runs {@code ps} on its host, so this works for any image, also one without a shell or {@code ps}.
 *
 * @param pid     the process id (in the host's namespace)
 * @param command its command line, e.g. {@code nginx: worker process}
 */
public record ContainerProcess(String pid, String command) {

    /**
     * The processes of a top answer: {@code Titles} names the columns ({@code PID}, {@code CMD} or {@code COMMAND}),
     * {@code Processes} holds one row of strings per process. Rows without those columns are left out.
     */
    static List<ContainerProcess> fromTop(List<String> titles, List<List<String>> rows) {
        int pid = titles.indexOf("PID");
        int cmd = titles.indexOf("CMD");
        cmd = cmd >= 0 ? cmd : titles.indexOf("COMMAND");
        List<ContainerProcess> out = new ArrayList<>();
        if (pid < 0 || cmd < 0) {
            return out;
        }
        for (List<String> row : rows) {
            if (row.size() > Math.max(pid, cmd)) {
                out.add(new ContainerProcess(row.get(pid), row.get(cmd)));
            }
        }
        return out;
    }
}
