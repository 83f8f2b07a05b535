package dev.agentetl.cli;

import dev.agentetl.runtime.AppConfig;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The request a scheduled job receives: its command's options, {@code agent-etl.schedule.<job>.args}, parsed by
 * the command itself at each firing (so {@code --since 7d} is seven days before that firing), exactly as on the
 * command line. No args: no request, the job's default (what the job does when the schedule gives it nothing).
 */
public final class ScheduledRequests {

    private final AppConfig config;

    public ScheduledRequests(AppConfig config) {
        this.config = config;
    }

    /** The request of one firing of {@code job}; a malformed option is an error naming the key. */
    public Object body(String job) {
        String args = config.get("agent-etl.schedule." + job + ".args", "").trim();
        if (args.isEmpty()) return null;
        JobCommand command = commandOf(job);
        if (command == null) {
            throw new IllegalArgumentException("agent-etl.schedule." + job + ".args: job " + job + " has no command whose options these could be");
        }
        try {
            new CommandLine(command).parseArgs(split(args));
            command.cli = new AgentEtl(config, new PrintStream(PrintStream.nullOutputStream()), System.err, false);
            return command.body();
        } catch (CommandLine.ParameterException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("agent-etl.schedule." + job + ".args: " + e.getMessage(), e);
        }
    }

    /** Checks every scheduled job's args once, at start, so a typo fails run instead of every firing. */
    public void check(List<String> jobs) {
        jobs.forEach(this::body);
    }

    /** A fresh instance of the command that runs {@code job}, or null. */
    private static JobCommand commandOf(String job) {
        CommandLine root = new CommandLine(new AgentEtl(AppConfig.load(), System.out, System.err, false));
        for (Class<?> c : AgentEtl.COMMANDS) {
            if (!c.equals(CommandLine.HelpCommand.class)) root.addSubcommand(c);
        }
        List<CommandLine> pending = new ArrayList<>(root.getSubcommands().values());
        while (!pending.isEmpty()) {
            CommandLine c = pending.remove(0);
            if (c.getCommand() instanceof JobCommand jc && job.equals(jc.job())) {
                try {
                    return jc.getClass().getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create the command of " + job, e);
                }
            }
            pending.addAll(c.getSubcommands().values());
        }
        return null;
    }

    /** Words separated by spaces; '...' or "..." keep spaces inside one word. */
    static String[] split(String args) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char ch : args.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else word.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any || !word.isEmpty()) words.add(word.toString());
                word.setLength(0);
                any = false;
            } else {
                word.append(ch);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unclosed quote in '" + args + "'");
        if (any || !word.isEmpty()) words.add(word.toString());
        return words.toArray(String[]::new);
    }
}
