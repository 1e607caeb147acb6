package dev.finetune4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PaginationTest {
    private final MockApi api = new MockApi();

    @AfterEach
    void close() {
        api.close();
    }

    private static String job(String id) {
        return Fixtures.read("job.json").replace("\"ftjob-abc123\"", "\"" + id + "\"");
    }

    private static String jobPage(boolean hasMore, String... ids) {
        return "{\"object\":\"list\",\"data\":[" + java.util.Arrays.stream(ids).map(PaginationTest::job)
                .collect(Collectors.joining(",")) + "],\"has_more\":" + hasMore + "}";
    }

    @Test
    void autoPagingWalksThreePagesLazilyKeepingTheFilters() {
        api.json(jobPage(true, "ftjob-5", "ftjob-4")).json(jobPage(true, "ftjob-3", "ftjob-2"))
                .json(jobPage(false, "ftjob-1"));
        CursorPage<FineTuningJob> first = api.client.fineTuning().jobs().list(JobListParams.builder().limit(2)
                .metadata(Map.of("team", "ml")).build());
        assertThat(api.server.getRequestCount()).isEqualTo(1);
        assertThat(first.data()).hasSize(2);
        assertThat(first.hasNextPage()).isTrue();
        assertThat(first.nextCursor()).isEqualTo("ftjob-4");

        Iterator<FineTuningJob> all = first.autoPager().iterator();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) seen.add(all.next().id());
        assertThat(api.server.getRequestCount()).as("no fetch before the page is needed").isEqualTo(1);
        all.forEachRemaining(j -> seen.add(j.id()));
        assertThat(seen).containsExactly("ftjob-5", "ftjob-4", "ftjob-3", "ftjob-2", "ftjob-1");

        RecordedRequest r1 = api.take();
        assertThat(r1.getUrl().queryParameter("after")).isNull();
        RecordedRequest r2 = api.take();
        assertThat(r2.getUrl().queryParameter("after")).isEqualTo("ftjob-4");
        assertThat(r2.getUrl().queryParameter("limit")).isEqualTo("2");
        assertThat(r2.getUrl().queryParameter("metadata[team]")).isEqualTo("ml");
        ContractCheck.request(r2);
        RecordedRequest r3 = api.take();
        assertThat(r3.getUrl().queryParameter("after")).isEqualTo("ftjob-2");
        assertThat(r3.getUrl().queryParameterValues("after")).hasSize(1);
    }

    @Test
    void forEachAndStreamIterateEveryPage() {
        api.json(jobPage(true, "ftjob-2")).json(jobPage(false, "ftjob-1"));
        List<String> ids = new ArrayList<>();
        for (FineTuningJob job : api.client.fineTuning().jobs().list()) ids.add(job.id());
        assertThat(ids).containsExactly("ftjob-2", "ftjob-1");

        api.json(jobPage(true, "ftjob-2")).json(jobPage(false, "ftjob-1"));
        assertThat(api.client.fineTuning().jobs().list().stream().map(FineTuningJob::id))
                .containsExactly("ftjob-2", "ftjob-1");
        // a short stream fetches only what it needs
        api.json(jobPage(true, "ftjob-9"));
        int before = api.server.getRequestCount();
        assertThat(api.client.fineTuning().jobs().list().stream().findFirst()).get()
                .extracting(FineTuningJob::id).isEqualTo("ftjob-9");
        assertThat(api.server.getRequestCount()).isEqualTo(before + 1);
    }

    @Test
    void manualPagingWithNextPage() {
        api.json(Fixtures.read("file_list_page1.json")).json(Fixtures.read("file_list_page2.json"));
        CursorPage<FileObject> page = api.client.files().list();
        CursorPage<FileObject> next = page.nextPage();
        assertThat(next.data()).extracting(FileObject::id).containsExactly("file-1");
        assertThat(next.hasNextPage()).isFalse();
        assertThatThrownBy(next::nextPage).isInstanceOf(NoSuchElementException.class);
        api.take();
        assertThat(api.take().getUrl().queryParameter("after")).isEqualTo("file-2");
    }

    @Test
    void stopsWhenTheServerGivesTheSameCursorAgain() {
        // as a mock of the spec answers: the same example item, has_more true, on every page
        String same = "{\"object\":\"list\",\"data\":[{\"object\":\"fine_tuning.job.event\",\"id\":\"string\","
                + "\"created_at\":1,\"level\":\"info\",\"message\":\"m\"}],\"has_more\":true}";
        for (int i = 0; i < 3; i++) api.json(same);
        List<FineTuningJobEvent> all = api.client.fineTuning().jobs().listEvents("ftjob-1").stream().toList();
        assertThat(all).hasSize(2);
        assertThat(api.server.getRequestCount()).as("the first page, and the one its cursor asked for").isEqualTo(2);
    }

    @Test
    void aNullItemOfAPageIsLeftOut() {
        api.json("{\"object\":\"list\",\"data\":[" + job("ftjob-2") + ",null],\"has_more\":true}")
                .json(jobPage(false, "ftjob-1"));
        assertThat(api.client.fineTuning().jobs().list().stream().map(FineTuningJob::id))
                .containsExactly("ftjob-2", "ftjob-1");
    }

    @Test
    void stopsOnAnEmptyPageEvenIfTheServerSaysMore() {
        api.json("{\"object\":\"list\",\"data\":[],\"has_more\":true}");
        CursorPage<FineTuningJobEvent> page = api.client.fineTuning().jobs().listEvents("ftjob-1");
        assertThat(page.hasNextPage()).isFalse();
        assertThat(page.stream()).isEmpty();
        assertThat(api.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void eventsContinueAfterTheLastEventId() {
        String events = Fixtures.read("job_events.json").replace("\"has_more\": false", "\"has_more\": true");
        api.json(events).json("{\"object\":\"list\",\"data\":[],\"has_more\":false}");
        assertThat(api.client.fineTuning().jobs().listEvents("ftjob-abc123").stream().count()).isEqualTo(3);
        api.take();
        RecordedRequest second = api.take();
        assertThat(second.getUrl().encodedPath()).isEqualTo("/v1/fine_tuning/jobs/ftjob-abc123/events");
        assertThat(second.getUrl().queryParameter("after")).isEqualTo("ftevent-1");
    }

    @Test
    void checkpointsContinueAfterTheLastCheckpointIdNotLastId() {
        String page = Fixtures.read("job_checkpoints.json").replace("\"has_more\": false", "\"has_more\": true")
                .replace("\"last_id\": \"ftckpt_enQCFmOTGj3syEpYVhBRLTSy\"", "\"last_id\": \"something-else\"");
        api.json(page).json("{\"object\":\"list\",\"data\":[],\"has_more\":false}");
        assertThat(api.client.fineTuning().jobs().checkpoints().list("ftjob-abc123").stream().count()).isEqualTo(2);
        api.take();
        assertThat(api.take().getUrl().queryParameter("after")).isEqualTo("ftckpt_enQCFmOTGj3syEpYVhBRLTSy");
    }

    @Test
    void permissionsContinueAfterTheEnvelopesLastId() {
        String page1 = Fixtures.read("permissions.json").replace("\"has_more\": false", "\"has_more\": true")
                .replace("\"last_id\": \"cp_enQCFmOTGj3syEpYVhBRLTSy\"", "\"last_id\": \"cp_cursor\"");
        String page2 = """
                {"object":"list","data":[{"object":"checkpoint.permission","id":"cp_3","created_at":1,"project_id":"proj_3"}],
                 "first_id":"cp_3","last_id":"cp_3","has_more":false}""";
        api.json(page1).json(page2);
        List<String> ids = api.client.fineTuning().checkpoints().permissions().list("ft:m:org::x",
                PermissionListParams.builder().projectId("proj_3").build()).stream().map(CheckpointPermission::id).toList();
        assertThat(ids).containsExactly("cp_zedmMW7kG8ObS0FzNdp7ZdYA", "cp_enQCFmOTGj3syEpYVhBRLTSy", "cp_3");
        api.take();
        RecordedRequest second = api.take();
        assertThat(second.getUrl().queryParameter("after")).isEqualTo("cp_cursor");
        assertThat(second.getUrl().queryParameter("project_id")).isEqualTo("proj_3");
    }

    @Test
    void retrieveOfPermissionsAndModelsListAreSinglePages() {
        String page1 = Fixtures.read("permissions.json").replace("\"has_more\": false", "\"has_more\": true");
        api.json(page1);
        CursorPage<CheckpointPermission> one = api.client.fineTuning().checkpoints().permissions().retrieve("ft:m:o::x");
        assertThat(one.hasMore()).isTrue();
        assertThat(one.hasNextPage()).isFalse();
        assertThat(one.stream().count()).isEqualTo(2);
        assertThat(api.server.getRequestCount()).isEqualTo(1);
    }
}
