package dev.agentetl.finetune;

/** An example that cannot be written, with a reason code the report counts and a detail for the log. */
final class Rejected extends Exception {

    private final String reason;

    Rejected(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
