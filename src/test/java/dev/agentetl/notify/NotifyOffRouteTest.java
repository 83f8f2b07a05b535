package dev.agentetl.notify;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** With agent-etl.notify.uri empty, new insights send nothing: no message reaches the notify route. */
class NotifyOffRouteTest extends NotifyRouteSupport {

    @Override
    String notifyUri() {
        return "";
    }

    @Test
    void should_send_nothing_when_the_uri_is_empty() throws Exception {
        NotifyBuilder sent = new NotifyBuilder(context).fromRoute("notify").whenDone(1).create();
        runInsights();
        assertFalse(sent.matches(1, TimeUnit.SECONDS), "no message reaches the notify route");
    }
}
