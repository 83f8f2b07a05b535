package dev.agentetl.finetune;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each redaction rule replaces what it is for, with its placeholder, and leaves look-alikes alone. */
class RedactorTest {

    private final Redactor defaults = Redactor.profile("default", Map.of(), Map.of());

    private void assertRedacts(String rule, String input, String expected) {
        Redactor.Result r = defaults.redact(input);
        assertEquals(expected, r.text(), rule);
        int index = defaults.rules().stream().map(Redactor.Rule::name).toList().indexOf(rule);
        int[] counts = new int[defaults.rules().size()];
        counts[index] = 1;
        assertArrayEquals(counts, r.counts(), "only " + rule + " counted once in: " + input);
    }

    @Test
    void should_replace_each_kind_of_secret_and_personal_data_with_its_placeholder() {
        assertRedacts("bearer_token", "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def' x",
                "curl -H 'Authorization: Bearer [BEARER_TOKEN]' x");
        assertRedacts("api_key", "use key sk-proj-Abc123def456ghi789jkl now", "use key [API_KEY] now");
        assertRedacts("api_key", "aws AKIAIOSFODNN7EXAMPLE.", "aws [API_KEY].");
        assertRedacts("email", "write to jane.doe+tag@mail.example.co.uk, thanks", "write to [EMAIL], thanks");
        assertRedacts("phone", "call +1 415-555-0134 today", "call [PHONE] today");
        assertRedacts("phone", "Tel. (030) 1234 5678", "Tel. [PHONE]");
        assertRedacts("ip_address", "host 192.168.10.254 is down", "host [IP_ADDRESS] is down");
        assertRedacts("ip_address", "db at 10.0.0.7:5432.", "db at [IP_ADDRESS]:5432.");
        assertRedacts("ip_address", "v6 2001:db8::8a2e:370:7334 up", "v6 [IP_ADDRESS] up");
    }

    @Test
    void should_leave_text_without_secrets_byte_for_byte_unchanged() {
        String clean = "Version 1.2.3 released on 2026-03-01 at 12:30:45; order 123456789 cost 1,234.50 EUR; "
                + "see std::vector and a::b, pi is 3.14159, ratio 0.25, @mention, user@localhost, id 550e8400-e29b-41d4-a716-446655440000, "
                + "sk-short, bearer of news, 10.0.0 and 1.2.3.4.5";
        Redactor.Result r = defaults.redact(clean);
        assertEquals(clean, r.text());
        assertEquals(0, r.counts().length);
    }

    @Test
    void should_redact_inside_json_arguments_and_keep_them_valid_json() throws Exception {
        String args = "{\"to\":\"bob@example.org\",\"cc\":[\"ann@example.org\"],\"n\":3}";
        String out = defaults.redact(args).text();
        assertEquals("{\"to\":\"[EMAIL]\",\"cc\":[\"[EMAIL]\"],\"n\":3}", out);
        OpenAiShapes.JSON.readTree(out);
    }

    @Test
    void should_use_configured_rules_and_profiles() {
        Redactor custom = Redactor.profile("default", Map.of("ticket", "TICKET-\\d+"), Map.of());
        assertEquals("see [TICKET] by [EMAIL]", custom.redact("see TICKET-4711 by a@b.io").text());
        Redactor onlyEmail = Redactor.profile("mail", Map.of(), Map.of("mail", "email"));
        assertEquals("[EMAIL] from 10.0.0.1", onlyEmail.redact("a@b.io from 10.0.0.1").text());
        Redactor none = Redactor.profile("none", Map.of(), Map.of());
        assertEquals("a@b.io", none.redact("a@b.io").text());
    }

    @Test
    void should_refuse_unknown_profiles_rules_and_bad_patterns() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Redactor.profile("strictest", Map.of(), Map.of()))
                .getMessage().contains("unknown redaction profile 'strictest'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Redactor.profile("p", Map.of(), Map.of("p", "email, ssn")))
                .getMessage().contains("unknown rule 'ssn'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Redactor.profile("default", Map.of("bad", "(unclosed"), Map.of()))
                .getMessage().contains("redaction rule bad"));
    }
}
