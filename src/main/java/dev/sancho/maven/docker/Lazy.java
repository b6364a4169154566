package dev.sancho.maven.docker;

import java.util.function.Supplier;

/** A value made on first use and kept; {@link #ifMade()} tells whether it ever was (to close only what exists). */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
        this.make = make;
    }

    static <T> Lazy<T> of(T value) {
        Lazy<T> l = new Lazy<>(() -> value);
        l.value = value;
        return l;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = make.get();
                    value = v;
                }
            }
        }
        return v;
    }

    /** The value when it was made, else null (nothing is made by asking). */
    T ifMade() {
        return value;
    }
}
