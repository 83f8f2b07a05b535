package dev.agentetl.prompts;

/** A catalog or CSV file that cannot be imported; the message lists every problem as file:line: reason. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }
}
