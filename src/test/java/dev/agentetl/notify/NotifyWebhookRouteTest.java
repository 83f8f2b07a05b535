package dev.agentetl.notify;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each new warning or critical insight is POSTed as JSON to a local HTTP endpoint as agent-etl.notify.uri. */
class NotifyWebhookRouteTest extends NotifyRouteSupport {

    @Override
    String notifyUri() {
        return hookUri();
    }

    @Test
    void should_post_each_new_warning_insight_to_an_http_endpoint() throws Exception {
        posted.clear();
        long warnings = runInsights();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (posted.size() < warnings && System.nanoTime() < until) Thread.sleep(50);
        assertEquals(warnings, posted.size(), "one POST per insight: " + posted);
        assertTrue(posted.get(0).startsWith("POST application/json {\"source\":\"agent-etl\",\"type\":\"insight\""), posted.get(0));
    }
}
