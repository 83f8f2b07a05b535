package dev.agentetl.runtime;

import org.apache.camel.CamelExecutionException;

import java.lang.reflect.InvocationTargetException;

/** Turns exceptions into the one-line reasons users see. */
public final class Errors {

    private Errors() {
    }

    /** The innermost meaningful cause, unwrapped from Camel's and reflection's wrappers. */
    public static Throwable rootOf(Throwable t) {
        Throwable current = t;
        while ((current instanceof CamelExecutionException || current instanceof InvocationTargetException
                || current instanceof org.apache.camel.RuntimeCamelException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** One line: the message of the meaningful cause (or its type when it has none). */
    public static String oneLine(Throwable t) {
        Throwable root = rootOf(t);
        String message = root instanceof java.nio.file.FileSystemException fs && fs.getReason() == null
                ? fileProblem(fs) : root.getMessage();
        if (message == null || message.isBlank()) {
            message = root.getClass().getSimpleName();
        }
        message = message.strip();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }

    /**
     * A file error Java reports with no reason names only the path ("/proc/nope"); say what was wrong with it.
     */
    private static String fileProblem(java.nio.file.FileSystemException e) {
        String what = e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : e instanceof java.nio.file.NotDirectoryException ? "not a folder"
                : e instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty"
                : e.getClass().getSimpleName();
        return e.getOtherFile() == null ? e.getFile() + ": " + what : e.getFile() + " -> " + e.getOtherFile() + ": " + what;
    }
}
