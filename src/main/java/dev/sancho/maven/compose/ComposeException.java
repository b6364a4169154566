package dev.sancho.maven.compose;

/**
 * A Compose file cannot be used. {@link #getMessage()} is the full one-line message, starting with
 * {@code file:line:} when a location is known, e.g.
 * {@code docker-compose.yml:14: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD is missing a value: set it in .env}.
 */
public class ComposeException extends RuntimeException {
    private final String file;
    private final int line;
    private final String path;

    public ComposeException(String file, int line, String path, String problem) {
        this(file, line, 0, path, problem);
    }

    /** With a 1-based column, for YAML syntax errors: {@code docker-compose.yml:3:7: ...}. */
    public ComposeException(String file, int line, int column, String path, String problem) {
        super(format(file, line, column, path, problem));
        this.file = file;
        this.line = line;
        this.path = path;
    }

    private static String format(String file, int line, int column, String path, String problem) {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) {
                b.append(':').append(line);
                if (column > 0) {
                    b.append(':').append(column);
                }
            }
            b.append(": ");
        }
        if (path != null && !path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(problem).toString();
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String path() {
        return path;
    }
}
