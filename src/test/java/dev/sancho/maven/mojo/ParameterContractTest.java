package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The parameter documentation is the goal pages maven-plugin-report-plugin generates from the plugin descriptor
 * ({@code mvn site}), so the descriptor must carry what users need: every parameter of every goal has a Javadoc
 * description, and its user property is {@code sancho.<name>} (the project's contract: {@code -Dsancho.keep=3}).
 *
 * <p>The descriptor read is {@code target/plugin-enhanced.xml}: maven-plugin-plugin's {@code descriptor} goal writes
 * it in process-classes together with {@code target/classes/META-INF/maven/plugin.xml}, with the same mojos,
 * parameters and {@code <configuration>}.
 */
class ParameterContractTest {

    static final String RUN = "./mvnw -o -q test -Dtest=ParameterContractTest";

    /**
     * Structured values the command line cannot express, so no user property: a map of interpolation variables, a
     * map of settings.xml server ids, a list of probe elements.
     */
    static final Set<String> WITHOUT_PROPERTY = Set.of("environment", "servers", "probes");

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path DESCRIPTOR = BASEDIR.resolve("target/plugin-enhanced.xml");

    /** One {@code <parameter>} of one mojo, with what its {@code <configuration>} entry says. */
    record GoalParameter(String goal, String name, String property, String description) {}

    @Test
    void everyParameterHasADescriptionAndTheUserPropertySanchoDotItsName() throws Exception {
        List<GoalParameter> parameters = readDescriptor();
        assertTrue(parameters.size() > 20, "the descriptor lists the goals' parameters: " + parameters.size());
        List<String> wrong = violations(parameters);
        assertTrue(wrong.isEmpty(), "parameters the goal pages would document badly:\n" + String.join("\n", wrong));
    }

    static List<String> violations(List<GoalParameter> parameters) {
        List<String> wrong = new ArrayList<>();
        for (GoalParameter p : parameters) {
            String where = "sancho:" + p.goal() + " " + p.name() + ": ";
            if (p.description() == null || p.description().replaceAll("<[^>]*>", "").isBlank()) {
                wrong.add(where + "no Javadoc description");
            }
            String wanted = WITHOUT_PROPERTY.contains(p.name()) ? null : "sancho." + p.name();
            if (wanted == null ? p.property() != null : !wanted.equals(p.property())) {
                wrong.add(where + "user property " + p.property() + ", expected " + wanted);
            }
        }
        return wrong;
    }

    private static List<GoalParameter> readDescriptor() throws Exception {
        if (!Files.isRegularFile(DESCRIPTOR)) {
            fail(DESCRIPTOR + " does not exist: maven-plugin-plugin writes it in process-classes;"
                    + " run the test through Maven (" + RUN + ")");
        }
        try (InputStream in = Files.newInputStream(DESCRIPTOR)) {
            return parse(in);
        }
    }

    /** The editable parameters of every goal but help (readonly ones are Maven's: settings, session, project). */
    static List<GoalParameter> parse(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element plugin = factory.newDocumentBuilder().parse(in).getDocumentElement();
        List<GoalParameter> parameters = new ArrayList<>();
        for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
            String goal = text(mojo, "goal");
            if (goal.equals("help")) {
                continue;
            }
            Element configuration = child(mojo, "configuration");
            for (Element p : children(child(mojo, "parameters"), "parameter")) {
                if (!"true".equals(text(p, "editable"))) {
                    continue;
                }
                String name = text(p, "name");
                Element config = child(configuration, name);
                String property = null;
                if (config != null) {
                    Matcher expression = Pattern.compile("\\$\\{(.+)}").matcher(config.getTextContent().strip());
                    property = expression.matches() ? expression.group(1) : null;
                }
                parameters.add(new GoalParameter(goal, name, property, text(p, "description")));
            }
        }
        return parameters;
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(tag)) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent();
    }

    @Test
    void aParameterWithoutDescriptionOrWithAnotherPropertyIsNamed() throws Exception {
        String xml = """
                <plugin><mojos>
                  <mojo><goal>help</goal><parameters><parameter><name>detail</name><editable>true</editable>
                    <description></description></parameter></parameters></mojo>
                  <mojo><goal>deploy</goal>
                    <parameters>
                      <parameter><name>skip</name><editable>true</editable><description>Skip it.</description></parameter>
                      <parameter><name>wait</name><editable>true</editable><description><![CDATA[<p> </p>]]></description></parameter>
                      <parameter><name>keep</name><editable>true</editable><description>Kept.</description></parameter>
                      <parameter><name>servers</name><editable>true</editable><description>Ids.</description></parameter>
                      <parameter><name>session</name><editable>false</editable><description></description></parameter>
                    </parameters>
                    <configuration>
                      <skip implementation="boolean" default-value="false">${sancho.skip}</skip>
                      <wait implementation="java.lang.String" default-value="2s">${sancho.wait}</wait>
                      <keep implementation="int" default-value="2">${keep}</keep>
                      <session implementation="x" default-value="${session}"/>
                    </configuration></mojo>
                </mojos></plugin>
                """;
        List<GoalParameter> ps = parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("skip", "wait", "keep", "servers"), ps.stream().map(GoalParameter::name).toList());
        assertEquals(List.of("sancho:deploy wait: no Javadoc description",
                "sancho:deploy keep: user property keep, expected sancho.keep"), violations(ps));
    }
}
