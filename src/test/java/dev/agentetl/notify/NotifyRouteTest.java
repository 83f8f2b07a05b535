package dev.agentetl.notify;

import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each new warning or critical insight reaches a mock endpoint as agent-etl.notify.uri, as JSON. */
class NotifyRouteTest extends NotifyRouteSupport {

    @Override
    String notifyUri() {
        return "mock:notify";
    }

    @Test
    void should_send_each_new_warning_insight_to_a_mock_endpoint_as_json() throws Exception {
        MockEndpoint notify = getMockEndpoint("mock:notify");
        long warnings = runInsights();
        notify.expectedMessageCount((int) warnings);
        notify.assertIsSatisfied(5_000);
        String first = notify.getExchanges().get(0).getMessage().getBody(String.class);
        assertTrue(first.startsWith("{\"source\":\"agent-etl\",\"type\":\"insight\""), first);
        assertTrue(first.matches("(?s).*\"severity\":\"(warning|critical)\".*\"rule\":\".+\".*\"title\":\".+\".*"), first);
        assertEquals("application/json", notify.getExchanges().get(0).getMessage().getHeader("Content-Type"));
    }
}
