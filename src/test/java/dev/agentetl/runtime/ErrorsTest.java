package dev.agentetl.runtime;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one-line reasons a user sees when a job fails on a file. */
class ErrorsTest {

    @Test
    void aFileErrorSaysWhatWasWrongWithTheFileNotOnlyItsPath() {
        assertEquals("/proc/nope: no such file or folder",
                Errors.oneLine(new CamelExecutionException("wrapped", null, new NoSuchFileException("/proc/nope"))));
        assertEquals("/srv/out/x.html: permission denied", Errors.oneLine(new AccessDeniedException("/srv/out/x.html")));
        // a reason Java gives is kept as it is
        assertEquals("/a: Read-only file system", Errors.oneLine(new FileSystemException("/a", null, "Read-only file system")));
    }
}
