package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreeTest {

    @Test
    void theTreeIsTheOneObjectMapperReads() throws IOException {
        String answer = """
                [{"Id":"abc","Names":["/p_db"],"State":{"Running":true,"ExitCode":0,"Pid":4294967296,
                  "Health":null},"Labels":{"a":"b","empty":""},"Size":1.5,"Big":123456789012345678901234567890,
                  "Escaped":"line\\nquote\\"\\u00e9"}, [], {}]
                """;
        assertEquals(new ObjectMapper().readTree(answer), JsonTree.read(answer.getBytes(StandardCharsets.UTF_8)));
        assertEquals(new ObjectMapper().readTree(answer), JsonTree.read(answer));
    }

    @Test
    void anEmptyDocumentIsMissingAndABrokenOneAnError() throws IOException {
        assertTrue(JsonTree.read("").isMissingNode());
        assertTrue(JsonTree.read("  \n").isMissingNode());
        assertThrows(IOException.class, () -> JsonTree.read("{\"a\": "));
        assertThrows(IOException.class, () -> JsonTree.read("{\"a\" 1}"));
    }

    @Test
    void filtersAreTheEnginesJsonWithValuesEscaped() throws IOException {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("label", List.of("sancho.project=shop", "sancho.role"));
        f.put("name", List.of("^/a\"b\\\\$"));
        String json = JsonTree.filters(f);
        assertEquals("{\"label\":[\"sancho.project=shop\",\"sancho.role\"],\"name\":[\"^/a\\\"b\\\\\\\\$\"]}", json);
        assertEquals("^/a\"b\\\\$", new ObjectMapper().readTree(json).path("name").get(0).asText());
    }
}
