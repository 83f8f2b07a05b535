package dev.agentetl.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces secrets and personal data in exported text with typed placeholders ({@code [EMAIL]}, ...).
 * A profile is an ordered list of rules; all of them run as one alternation, so each text is scanned
 * once, and where two rules could match at the same place the earlier rule wins (a bearer token is a
 * bearer token, not an API key). Only the exported copy is changed, never the database.
 */
public final class Redactor {

    /** One rule: its name (as counted in the report), its pattern and the placeholder that replaces a match. */
    public record Rule(String name, String regex, String placeholder) {
    }

    /** The built-in rules, in the order they are tried. */
    public static final List<Rule> BUILT_IN = List.of(
            new Rule("bearer_token", "(?i)\\bbearer\\s+[A-Za-z0-9\\-._~+/]{8,}=*", "Bearer [BEARER_TOKEN]"),
            new Rule("api_key", "\\b(?:sk-(?:proj-|ant-|live_|test_)?[A-Za-z0-9_\\-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\\-]{35}"
                    + "|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9\\-]{10,}|glpat-[A-Za-z0-9_\\-]{20})", "[API_KEY]"),
            new Rule("email", "\\b[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}\\b", "[EMAIL]"),
            new Rule("ip_address", "(?<![\\w.:])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w.])"
                    + "|(?i)(?<![\\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
                    // a compressed address needs a group of 3+ digits, so scope operators (a::b) are left alone
                    + "|(?=[0-9a-f:]*[0-9a-f]{3})(?:(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?"
                    + "|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){1,6}))(?![\\w:])", "[IP_ADDRESS]"),
            // a phone number needs separators or a leading +: plain digit runs (ids, amounts) are left alone
            new Rule("phone", "(?<![\\w+\\-./])(?:\\+\\d{1,3}[\\s.\\-]?)?(?:\\(\\d{2,4}\\)|\\d{2,4})[\\s.\\-]\\d{3,4}[\\s.\\-]\\d{3,5}(?![\\w\\-./])"
                    + "|(?<![\\w+])\\+\\d{10,14}(?!\\w)", "[PHONE]"));

    private static final String DEFAULT_PROFILE = "default";

    private final String profile;
    private final List<Rule> rules;
    /** The alternation of the rules that can match a text, by bit set of those rules (compiled when first needed). */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Pattern> bySubset; // shared by the worker threads

    private Redactor(String profile, List<Rule> rules) {
        if (rules.size() > 16) throw new IllegalArgumentException("a redaction profile holds at most 16 rules");
        this.profile = profile;
        this.rules = List.copyOf(rules);
        this.bySubset = new java.util.concurrent.atomic.AtomicReferenceArray<>(1 << rules.size());
    }

    private Pattern pattern(int subset) {
        Pattern p = bySubset.get(subset);
        if (p == null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rules.size(); i++) {
                if ((subset & (1 << i)) == 0) continue;
                if (sb.length() > 0) sb.append('|');
                // each rule is its own named group; flags inside a rule stay inside its group
                sb.append("(?<r").append(i).append(">(?:").append(rules.get(i).regex()).append("))");
            }
            p = Pattern.compile(sb.toString());
            bySubset.set(subset, p); // two threads may compile the same one: equal patterns, either will do
        }
        return p;
    }

    /**
     * The rules that can match this text at all, by a cheap scan for what each built-in rule cannot do
     * without (an @ for an e-mail, eight digits for a phone number, ...). Leaving out a rule that cannot
     * match changes nothing but the time: most texts need no regular expression at all.
     */
    private int candidates(String text) {
        int digits = 0, colons = 0;
        boolean at = false, dottedDigits = false, doubleColon = false, separatedDigits = false, plusDigit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c == '@') at = true;
            else if (c == '+') plusDigit |= i + 1 < text.length() && isDigit(text.charAt(i + 1));
            else if ((c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B')
                    && i > 0 && i + 1 < text.length() && isDigit(text.charAt(i - 1)) && isDigit(text.charAt(i + 1))) {
                separatedDigits = true;
            }
            else if (c == ':') {
                colons++;
                if (i > 0 && text.charAt(i - 1) == ':') doubleColon = true;
            } else if (c == '.' && i > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i - 1))
                    && Character.isDigit(text.charAt(i + 1))) {
                dottedDigits = true;
                separatedDigits |= isDigit(text.charAt(i - 1)) && isDigit(text.charAt(i + 1));
            }
        }
        int subset = 0;
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            // a configured rule (even one reusing a built-in name) is always tried
            boolean possible = !BUILT_IN.contains(r) || switch (r.name()) {
                case "bearer_token" -> containsIgnoreCase(text, "bearer");
                case "api_key" -> text.contains("sk-") || text.contains("AKIA") || text.contains("AIza") || text.contains("xox")
                        || text.contains("glpat-") || (text.contains("gh") && text.indexOf('_') >= 0);
                case "email" -> at;
                case "ip_address" -> dottedDigits || doubleColon || colons >= 7;
                // digit groups split by a space, dot or dash, or a + before the digits: what both forms of the rule need
                case "phone" -> digits >= 8 && (separatedDigits || plusDigit);
                default -> true;
            };
            if (possible) subset |= 1 << i;
        }
        return subset;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) return true;
        }
        return false;
    }

    /**
     * The profile by name. Built in: {@code default} (every built-in rule) and {@code none}. Configuration
     * adds rules ({@code rules}: name -> regex) and profiles ({@code profiles}: name -> comma-separated rule
     * names, built-in or configured); a configured rule is also added to {@code default}.
     */
    public static Redactor profile(String name, Map<String, String> customRules, Map<String, String> profiles) {
        Map<String, Rule> known = new LinkedHashMap<>();
        BUILT_IN.forEach(r -> known.put(r.name(), r));
        List<Rule> custom = new ArrayList<>();
        customRules.forEach((rule, regex) -> {
            if (!rule.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("redaction rule name '" + rule + "' must be lower case letters, digits and _");
            }
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("redaction rule " + rule + ": not a valid regular expression: " + e.getDescription());
            }
            Rule r = new Rule(rule, regex, "[" + rule.toUpperCase(Locale.ROOT) + "]");
            known.put(rule, r);
            custom.add(r);
        });
        String wanted = name == null || name.isBlank() ? DEFAULT_PROFILE : name.strip();
        if (profiles.containsKey(wanted)) {
            List<Rule> rules = new ArrayList<>();
            for (String ruleName : profiles.get(wanted).split("[,\\s]+")) {
                if (ruleName.isEmpty()) continue;
                Rule r = known.get(ruleName);
                if (r == null) {
                    throw new IllegalArgumentException("redaction profile " + wanted + " names an unknown rule '" + ruleName
                            + "'; known rules: " + String.join(", ", known.keySet()));
                }
                rules.add(r);
            }
            return new Redactor(wanted, rules);
        }
        if (wanted.equals("none")) return new Redactor(wanted, List.of());
        if (wanted.equals(DEFAULT_PROFILE)) {
            List<Rule> rules = new ArrayList<>(BUILT_IN);
            rules.addAll(custom);
            return new Redactor(wanted, rules);
        }
        List<String> names = new ArrayList<>(List.of(DEFAULT_PROFILE, "none"));
        names.addAll(profiles.keySet());
        throw new IllegalArgumentException("unknown redaction profile '" + wanted + "'; profiles: " + String.join(", ", names));
    }

    public String name() {
        return profile;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** A text after redaction, and how many matches of each rule (by position in {@link #rules()}) it replaced. */
    public record Result(String text, int[] counts) {
        static final int[] NONE = new int[0];

        boolean changed() {
            return counts.length > 0;
        }
    }

    public Result redact(String text) {
        if (rules.isEmpty() || text == null || text.isEmpty()) return new Result(text, Result.NONE);
        int subset = candidates(text);
        if (subset == 0) return new Result(text, Result.NONE);
        Matcher m = pattern(subset).matcher(text);
        if (!m.find()) return new Result(text, Result.NONE);
        int[] counts = new int[rules.size()];
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            int rule = 0;
            while ((subset & (1 << rule)) == 0 || m.start("r" + rule) < 0) rule++;
            counts[rule]++;
            sb.append(text, last, m.start()).append(rules.get(rule).placeholder());
            last = m.end();
        } while (m.find());
        sb.append(text, last, text.length());
        return new Result(sb.toString(), counts);
    }
}
