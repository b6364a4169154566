package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Eclipse m2e reads {@code META-INF/m2e/lifecycle-mapping-metadata.xml} from the plugin jar; a goal missing there
 * would be run by Eclipse's incremental builds (or flagged "not covered"), so every goal of the descriptor must be
 * in it with the action {@code ignore}, and nothing else.
 */
class M2eLifecycleMappingTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path MAPPING = BASEDIR.resolve("src/main/resources/META-INF/m2e/lifecycle-mapping-metadata.xml");
    private static final Path DESCRIPTOR = BASEDIR.resolve("target/classes/META-INF/maven/plugin.xml");

    @Test
    void everyGoalIsIgnoredByEclipse() throws Exception {
        assertTrue(Files.isRegularFile(DESCRIPTOR),
                DESCRIPTOR + " missing: maven-plugin-plugin writes it in process-classes; run the test through Maven");
        Document mapping = parse(MAPPING);
        Set<String> mapped = texts(mapping.getElementsByTagName("goal"));
        Set<String> goals = new TreeSet<>();
        NodeList mojos = parse(DESCRIPTOR).getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            for (Node n = mojos.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("goal")) {
                    goals.add(e.getTextContent().strip());
                }
            }
        }
        assertTrue(goals.contains("deploy"), "no goals read from " + DESCRIPTOR);

        assertEquals(goals, mapped, "the goals in " + BASEDIR.relativize(MAPPING)
                + " differ from the plugin's goals: list every goal there (Eclipse must ignore them all)");
        assertEquals(1, mapping.getElementsByTagName("pluginExecution").getLength());
        assertEquals(1, mapping.getElementsByTagName("ignore").getLength(), "the one action is <ignore/>");
        assertEquals(0, mapping.getElementsByTagName("execute").getLength());
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = Files.newInputStream(file)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static Set<String> texts(NodeList nodes) {
        Set<String> texts = new TreeSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        return texts;
    }
}
