package org.fftk.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns any failure into the one line a user sees. */
final class Errors {
    private Errors() {
    }

    static String describe(Throwable ex) {
        Throwable t = ex;
        // Unwrap wrappers that add nothing a user can act on.
        while ((t instanceof java.lang.reflect.UndeclaredThrowableException
                || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.io.UncheckedIOException
                || (t instanceof RuntimeException && t.getClass() == RuntimeException.class && t.getMessage() == null))
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
            return "no such file: " + t.getMessage();
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + t.getMessage();
        }
        if (t instanceof FileAlreadyExistsException) {
            return "file already exists: " + t.getMessage();
        }
        if (t instanceof NotDirectoryException) {
            return "not a directory: " + t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (raise the heap with FFTK_JAVA_OPTS=-Xmx16g)";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    /** A message folded onto one line. */
    static String oneLine(String m) {
        return m == null ? "" : m.replaceAll("\\s*[\r\n]+\\s*", " ").trim();
    }
}
