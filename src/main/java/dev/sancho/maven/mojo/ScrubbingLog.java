package dev.sancho.maven.mojo;

import dev.sancho.maven.common.SecretScrubber;
import org.apache.maven.plugin.logging.Log;

/**
 * Maven's log with every secret value scrubbed: the one door through which sancho's lines (and the throwables
 * attached to them at {@code -X}) reach the build log.
 */
final class ScrubbingLog implements Log {
    private final Log delegate;
    private final SecretScrubber scrubber;

    ScrubbingLog(Log delegate, SecretScrubber scrubber) {
        this.delegate = delegate;
        this.scrubber = scrubber;
    }

    Log delegate() {
        return delegate;
    }

    private CharSequence s(CharSequence text) {
        return text == null ? null : scrubber.scrub(text.toString());
    }

    private Throwable s(Throwable t) {
        return ScrubbedException.copy(t, scrubber);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public void debug(CharSequence content) {
        delegate.debug(s(content));
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        delegate.debug(s(content), s(error));
    }

    @Override
    public void debug(Throwable error) {
        delegate.debug(s(error));
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public void info(CharSequence content) {
        delegate.info(s(content));
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        delegate.info(s(content), s(error));
    }

    @Override
    public void info(Throwable error) {
        delegate.info(s(error));
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public void warn(CharSequence content) {
        delegate.warn(s(content));
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        delegate.warn(s(content), s(error));
    }

    @Override
    public void warn(Throwable error) {
        delegate.warn(s(error));
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    public void error(CharSequence content) {
        delegate.error(s(content));
    }

    @Override
    public void error(CharSequence content, Throwable error) {
        delegate.error(s(content), s(error));
    }

    @Override
    public void error(Throwable error) {
        delegate.error(s(error));
    }
}
