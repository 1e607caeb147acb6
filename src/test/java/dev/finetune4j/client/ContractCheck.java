package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.contract.OpenApiContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Feeds what the client sent (a recorded request) and what it parsed (a fixture) to {@link OpenApiContract}.
 * Without the spec file these checks do nothing; {@code EndpointTest.specIsAvailable} then reports the skip.
 */
final class ContractCheck {
    private ContractCheck() {}

    static void request(RecordedRequest r) {
        if (!OpenApiContract.available()) return;
        HttpUrl url = r.getUrl();
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : url.queryParameterNames()) query.put(name, url.queryParameterValues(name));
        String body = r.getBody() == null || r.getBody().size() == 0 ? null : r.getBody().utf8();
        List<String> violations = OpenApiContract.get().violationsForRequest(r.getMethod(), url.encodedPath(), query,
                r.getHeaders().toMultimap(), body);
        assertThat(violations).as("spec violations of %s %s", r.getMethod(), url).isEmpty();
    }

    static void response(String method, String path, int status, String contentType, String body) {
        if (!OpenApiContract.available()) return;
        List<String> violations = OpenApiContract.get().violationsForResponse(method, path, status, contentType, body);
        assertThat(violations).as("spec violations of the response to %s %s", method, path).isEmpty();
    }

    /** Checks the request and, as the answer to it, a JSON fixture. */
    static void exchange(RecordedRequest r, String responseJson) {
        request(r);
        response(r.getMethod(), r.getUrl().encodedPath(), 200, "application/json", responseJson);
    }
}
