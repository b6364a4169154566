package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string command into words like Compose does (go-shellwords): whitespace separates words, single
 * quotes are literal, double quotes allow {@code \"}, {@code \\}, {@code \$}, and a backslash outside quotes
 * escapes the next character. No variables or globs are expanded: that is the container shell's business.
 */
public final class ShellWords {
    private ShellWords() {}

    /** A quote opened in the text is never closed. */
    public static final class UnclosedQuote extends IllegalArgumentException {
        private final char quote;

        UnclosedQuote(char quote) {
            super("the " + quote + " quote opened in the command is never closed");
            this.quote = quote;
        }

        public char quote() {
            return quote;
        }
    }

    /** @throws UnclosedQuote when a quote is not closed */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new UnclosedQuote(quote);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
