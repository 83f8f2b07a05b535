package dev.agentetl.runtime;

/**
 * A report that is a text and the data it shows, for jobs whose report is a listing or a message
 * (insights list, prompts show, a named report): {@code render()} prints the text, {@code --json} the data.
 */
public record TextReport(String text, Object data, long rowsRead, long rowsWritten) implements JobReport {

    public static TextReport read(String text, Object data, long rows) {
        return new TextReport(text, data, rows, 0);
    }

    public static TextReport wrote(String text, Object data, long rows) {
        return new TextReport(text, data, 0, rows);
    }

    @Override
    public Object data() {
        return data;
    }

    @Override
    public String render() {
        return text;
    }
}
