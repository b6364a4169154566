package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelFiltersTest {

    @Test
    void aNullValueSelectsTheLabelWithAnyValue() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("sancho.project", "shop");
        wanted.put("sancho.role", null);
        assertEquals(List.of("sancho.project=shop", "sancho.role"), LabelFilters.filter(wanted));
        assertEquals(List.of(), LabelFilters.filter(null));

        assertTrue(LabelFilters.matches(Map.of("sancho.project", "shop", "sancho.role", "app", "x", "y"), wanted));
        assertFalse(LabelFilters.matches(Map.of("sancho.project", "shop"), wanted), "label missing");
        assertFalse(LabelFilters.matches(Map.of("sancho.project", "shop2", "sancho.role", "app"), wanted),
                "a value is compared literally, not as a prefix");
        assertTrue(LabelFilters.matches(Map.of(), null));
        assertTrue(LabelFilters.matches(Map.of(), Map.of()));
    }
}
