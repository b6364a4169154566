package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * README.md's configuration reference is ONE table with one row per plugin parameter, generated from the plugin
 * descriptor, so it cannot drift from the Mojos' annotations and Javadoc.
 *
 * <p>The descriptor read is {@code target/plugin-enhanced.xml}: maven-plugin-plugin's {@code descriptor} goal writes
 * it in process-classes together with {@code target/classes/META-INF/maven/plugin.xml}, with the same mojos,
 * parameters and {@code <configuration>}, but keeps the Javadoc's HTML ({@code {@code x}} as {@code <code>x</code>})
 * where META-INF's copy has flattened it to plain text.
 */
class ReadmeParameterReferenceTest {

    static final String BEGIN = "<!-- parameters:begin (generated from the plugin descriptor by"
            + " ReadmeParameterReferenceTest; regenerate with ./mvnw -o -q test -Dtest=ReadmeParameterReferenceTest"
            + " -Dsancho.readme.write) -->";
    static final String END = "<!-- parameters:end -->";
    static final String REGENERATE = "./mvnw -o -q test -Dtest=ReadmeParameterReferenceTest -Dsancho.readme.write";
    static final String NONE = "—";

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path DESCRIPTOR = BASEDIR.resolve("target/plugin-enhanced.xml");
    private static final Path README = BASEDIR.resolve("README.md");
    private static final Path EXPECTED_OUT = BASEDIR.resolve("target/readme-parameters.md");

    /** Where several goals disagree, the first goal in this order speaks: deploy, then the others alphabetically. */
    static final Comparator<String> GOAL_PREFERENCE =
            Comparator.comparing((String goal) -> !goal.equals("deploy")).thenComparing(Comparator.naturalOrder());

    /** One {@code <parameter>} of one mojo, with what its {@code <configuration>} entry says. */
    record GoalParameter(String goal, String name, String property, String defaultValue, String description,
            String deprecated) {}

    /** The goals (without help) and their editable parameters. */
    record Descriptor(Set<String> goals, List<GoalParameter> parameters) {}

    // ---------------------------------------------------------------------------------------------------- README

    @Test
    void theReadmeReferenceIsTheTableTheDescriptorGives() throws Exception {
        String expected = expectedTable(readDescriptor());
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && readme.indexOf(BEGIN, begin + 1) < 0 && end > begin
                        && readme.indexOf(END, end + 1) < 0,
                "README.md must contain the marker line " + BEGIN + " once, followed by " + END + " once");
        String between = readme.substring(begin + BEGIN.length(), end);
        String wanted = "\n" + expected;
        if (between.equals(wanted)) {
            return;
        }
        if (System.getProperty("sancho.readme.write") != null) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + wanted + readme.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        Files.createDirectories(EXPECTED_OUT.getParent());
        Files.writeString(EXPECTED_OUT, expected, StandardCharsets.UTF_8);
        fail("README.md's parameter table differs from the plugin descriptor; the expected table is in "
                + BASEDIR.relativize(EXPECTED_OUT) + "; regenerate with " + REGENERATE);
    }

    @Test
    void noOtherTableOfTheReadmeListsAParameter() throws Exception {
        Set<String> names = readDescriptor().parameters().stream().map(GoalParameter::name)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> lines = Files.readString(README, StandardCharsets.UTF_8).lines().toList();
        List<String> strays = new ArrayList<>();
        boolean generated = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals(BEGIN) || line.equals(END)) {
                generated = line.equals(BEGIN);
                continue;
            }
            if (!generated && listsParameter(line, names)) {
                strays.add("README.md:" + (i + 1) + ": " + line);
            }
        }
        assertTrue(strays.isEmpty(), "parameters belong only in the generated table under ### Parameters"
                + " (link it as [Parameters](#parameters)); found elsewhere:\n" + String.join("\n", strays));
    }

    /** A table row whose first cell names a parameter ({@code `keep`}) and whose second is a user property. */
    static boolean listsParameter(String line, Set<String> parameterNames) {
        if (!line.startsWith("|")) {
            return false;
        }
        String[] cells = line.substring(1).split("(?<!\\\\)\\|", -1);
        if (cells.length < 2) {
            return false;
        }
        Matcher name = Pattern.compile("`([A-Za-z][A-Za-z0-9]*)`").matcher(cells[0]);
        boolean namesOne = false;
        while (name.find()) {
            namesOne |= parameterNames.contains(name.group(1));
        }
        return namesOne && cells[1].strip().startsWith("`sancho.");
    }

    // ---------------------------------------------------------------------------------------------- descriptor

    private static Descriptor readDescriptor() throws Exception {
        if (!Files.isRegularFile(DESCRIPTOR)) {
            fail(DESCRIPTOR + " does not exist: maven-plugin-plugin writes it in process-classes;"
                    + " run the test through Maven (" + REGENERATE + ")");
        }
        try (InputStream in = Files.newInputStream(DESCRIPTOR)) {
            return parse(in);
        }
    }

    static Descriptor parse(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element plugin = factory.newDocumentBuilder().parse(in).getDocumentElement();
        Set<String> goals = new TreeSet<>();
        List<GoalParameter> parameters = new ArrayList<>();
        for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
            String goal = text(mojo, "goal");
            if (goal.equals("help")) {
                continue;
            }
            goals.add(goal);
            Element configuration = child(mojo, "configuration");
            for (Element p : children(child(mojo, "parameters"), "parameter")) {
                if (!"true".equals(text(p, "editable"))) {
                    continue; // readonly: settings, mavenProject, session, mojoExecution
                }
                String name = text(p, "name");
                Element config = child(configuration, name);
                String property = null;
                String defaultValue = null;
                if (config != null) {
                    Matcher expression = Pattern.compile("\\$\\{(.+)}").matcher(config.getTextContent().strip());
                    property = expression.matches() ? expression.group(1) : null;
                    defaultValue = config.hasAttribute("default-value") ? config.getAttribute("default-value") : null;
                }
                parameters.add(new GoalParameter(goal, name, property, defaultValue, text(p, "description"),
                        text(p, "deprecated")));
            }
        }
        return new Descriptor(goals, parameters);
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

    // --------------------------------------------------------------------------------------------------- table

    static String expectedTable(Descriptor descriptor) {
        Map<String, List<GoalParameter>> byName = new TreeMap<>();
        descriptor.parameters().forEach(p -> byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p));
        List<String> everywhere = new ArrayList<>();
        List<String> some = new ArrayList<>();
        byName.forEach((name, ps) -> (goalsOf(ps).equals(descriptor.goals()) ? everywhere : some).add(row(
                name, ps, descriptor.goals())));
        StringBuilder table = new StringBuilder("| Parameter | User property | Default | Goals | Meaning |\n"
                + "|---|---|---|---|---|\n");
        everywhere.forEach(r -> table.append(r).append('\n'));
        some.forEach(r -> table.append(r).append('\n'));
        return table.toString();
    }

    private static Set<String> goalsOf(List<GoalParameter> ps) {
        return ps.stream().map(GoalParameter::goal).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String row(String name, List<GoalParameter> ps, Set<String> allGoals) {
        Map<String, String> property = new TreeMap<>();
        Map<String, String> defaults = new TreeMap<>();
        ps.forEach(p -> {
            property.put(p.goal(), p.property() == null ? NONE : escapePipes(code(p.property())));
            defaults.put(p.goal(), p.defaultValue() == null ? NONE : escapePipes(code(p.defaultValue())));
        });
        GoalParameter speaker = ps.stream().min(Comparator.comparing(GoalParameter::goal, GOAL_PREFERENCE)).get();
        String meaning = toMarkdown(speaker.description());
        if (speaker.deprecated() != null && !speaker.deprecated().isBlank()) {
            meaning += " (deprecated: " + toMarkdown(speaker.deprecated()) + ")";
        }
        return "| " + code(name) + " | " + merge(property) + " | " + merge(defaults) + " | "
                + goalsColumn(goalsOf(ps), allGoals) + " | " + (meaning.isBlank() ? NONE : meaning.strip()) + " |";
    }

    static String goalsColumn(Set<String> goals, Set<String> allGoals) {
        return goals.equals(allGoals) ? "all" : String.join(", ", new TreeSet<>(goals));
    }

    /**
     * One cell for values that may differ per goal: the value most goals have (on a tie, the one of the goal first in
     * {@link #GOAL_PREFERENCE}), then each other value with the goals that have it, e.g. {@code `5s`; deploy: `2s`}.
     */
    static String merge(Map<String, String> valueByGoal) {
        Map<String, List<String>> goalsByValue = new LinkedHashMap<>();
        valueByGoal.keySet().stream().sorted(GOAL_PREFERENCE)
                .forEach(g -> goalsByValue.computeIfAbsent(valueByGoal.get(g), v -> new ArrayList<>()).add(g));
        String headline = null;
        for (Map.Entry<String, List<String>> e : goalsByValue.entrySet()) {
            if (headline == null || e.getValue().size() > goalsByValue.get(headline).size()) {
                headline = e.getKey();
            }
        }
        String head = headline;
        return head + goalsByValue.entrySet().stream().filter(e -> !e.getKey().equals(head))
                .map(e -> Map.entry(e.getValue().stream().sorted().collect(Collectors.joining(", ")), e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "; " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining());
    }

    // ------------------------------------------------------------------------------------------ Javadoc → Markdown

    private static final Pattern CODE = Pattern.compile("(?is)<code>(.*?)</code>");
    private static final Pattern BLOCK_TAG =
            Pattern.compile("(?i)</?(p|br|pre|li|ul|ol|dl|dt|dd|div|table|tr|td|th|h[1-6]|blockquote)\\b[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);");
    private static final Map<String, String> NAMED_ENTITIES = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"",
            "apos", "'", "nbsp", " ");

    /**
     * A Javadoc description from the descriptor as one Markdown table cell: {@code <code>x</code>} becomes
     * {@code `x`}, other tags go, entities are decoded, whitespace collapses, {@code |} is escaped (a code span in a
     * table needs that too) and a {@code <} outside code is escaped so Markdown does not take it for HTML.
     */
    static String toMarkdown(String html) {
        if (html == null) {
            return "";
        }
        String s = html.replaceAll("(?s)<!--.*?-->", "");
        StringBuilder md = new StringBuilder();
        Matcher code = CODE.matcher(s);
        int last = 0;
        while (code.find()) {
            md.append(plain(s.substring(last, code.start())).replace("<", "\\<"));
            String inner = plain(code.group(1)).replaceAll("\\s+", " ").strip();
            md.append(inner.isEmpty() ? "" : code(inner));
            last = code.end();
        }
        md.append(plain(s.substring(last)).replace("<", "\\<"));
        return escapePipes(md.toString().replaceAll("\\s+", " ").strip());
    }

    /** Tags stripped (block tags leave a space), then entities decoded once: {@code &amp;lt;} is {@code &lt;}. */
    private static String plain(String html) {
        String text = BLOCK_TAG.matcher(html).replaceAll(" ").replaceAll("<[^>]*>", "");
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String decoded;
            if (e.startsWith("#")) {
                int cp = e.startsWith("#x") || e.startsWith("#X") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1));
                decoded = cp == 0xA0 ? " " : new String(Character.toChars(cp));
            } else {
                decoded = NAMED_ENTITIES.getOrDefault(e, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A Markdown code span. */
    static String code(String text) {
        return text.contains("`") ? "`` " + text + " ``" : "`" + text + "`";
    }

    /** In a GitHub table a {@code |} ends the cell, also inside a code span, unless it is escaped. */
    static String escapePipes(String cell) {
        return cell.replace("|", "\\|");
    }

    // ------------------------------------------------------------------------------------- the small pure pieces

    @Test
    void javadocHtmlBecomesOneMarkdownLine() {
        assertEquals("Project name. Else compose `name:`, else the artifactId.",
                toMarkdown("Project name. Else compose <code>name:</code>, else the artifactId."));
        assertEquals("variable name -> server id, e.g. `<servers><DB_PASSWORD>prod-db</DB_PASSWORD></servers>`.",
                toMarkdown("variable name -&gt; server id, e.g. <code>&lt;servers&gt;&lt;DB_PASSWORD&gt;prod-db"
                        + "&lt;/DB_PASSWORD&gt;&lt;/servers&gt;</code>."));
        assertEquals("(see `dev.sancho.maven.compose.Secrets`).",
                toMarkdown("(see <code>dev.sancho.maven.compose.Secrets</code><!-- no javadoc sites associated -->)."));
        assertEquals("One two: a \\| b \"it's\" &lt; 3 \\<volumes>",
                toMarkdown("<p>One\n   two:</p><pre>\n  a | b</pre>&quot;it&#39;s&quot; &amp;lt; 3 &lt;volumes&gt;"));
        assertEquals("`a\\|b`", toMarkdown("<code>a|b</code>"));
        assertEquals("", toMarkdown(""));
    }

    @Test
    void aDefaultThatGoalsDisagreeOnNamesTheExceptions() {
        assertEquals("`2`", merge(Map.of("deploy", "`2`", "rollback", "`2`")));
        assertEquals("`5s`; deploy: `2s`", merge(Map.of("deploy", "`2s`", "recover", "`5s`", "rollback", "`5s`")));
        // a tie: deploy's value first, then the others alphabetically
        assertEquals("`2`; recover, rollback: `5`",
                merge(Map.of("recover", "`5`", "deploy", "`2`", "rollback", "`5`", "verify", "`2`")));
        assertEquals("—; build: `x`; verify: `y`",
                merge(Map.of("verify", "`y`", "build", "`x`", "config", "—", "status", "—")));
    }

    @Test
    void goalsAreAllOrListedAlphabetically() {
        Set<String> all = Set.of("build", "deploy", "verify");
        assertEquals("all", goalsColumn(Set.of("verify", "build", "deploy"), all));
        assertEquals("build, verify", goalsColumn(Set.of("verify", "build"), all));
    }

    @Test
    void aDescriptorBecomesOneRowPerEditableParameter() throws Exception {
        String xml = """
                <plugin><mojos>
                  <mojo><goal>help</goal><parameters><parameter><name>detail</name><editable>true</editable>
                    <description>help only</description></parameter></parameters></mojo>
                  <mojo><goal>deploy</goal>
                    <parameters>
                      <parameter><name>skip</name><editable>true</editable><description>Skip it.</description></parameter>
                      <parameter><name>wait</name><editable>true</editable><description>Deploy&apos;s wait.</description>
                        <deprecated>use &lt;code&gt;timeout&lt;/code&gt;</deprecated></parameter>
                      <parameter><name>session</name><editable>false</editable><description></description></parameter>
                    </parameters>
                    <configuration>
                      <skip implementation="boolean" default-value="false">${sancho.skip}</skip>
                      <wait implementation="java.lang.String" default-value="2s">${sancho.wait}</wait>
                      <session implementation="x" default-value="${session}"/>
                    </configuration></mojo>
                  <mojo><goal>rollback</goal>
                    <parameters>
                      <parameter><name>wait</name><editable>true</editable><description>Rollback&apos;s.</description></parameter>
                      <parameter><name>skip</name><editable>true</editable><description>Skip.</description></parameter>
                      <parameter><name>probes</name><editable>true</editable><description></description></parameter>
                    </parameters>
                    <configuration>
                      <skip implementation="boolean" default-value="false">${sancho.skip}</skip>
                      <wait implementation="java.lang.String" default-value="5s">${sancho.wait}</wait>
                    </configuration></mojo>
                </mojos></plugin>
                """;
        Descriptor d = parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Set.of("deploy", "rollback"), d.goals());
        assertEquals("""
                | Parameter | User property | Default | Goals | Meaning |
                |---|---|---|---|---|
                | `skip` | `sancho.skip` | `false` | all | Skip it. |
                | `wait` | `sancho.wait` | `2s`; rollback: `5s` | all | Deploy's wait. (deprecated: use `timeout`) |
                | `probes` | — | — | rollback | — |
                """, expectedTable(d));
        assertTrue(listsParameter("| `wait` | `sancho.wait` | `2s` | old table |", Set.of("wait")));
        assertTrue(listsParameter("| `keep`, `wait` | `sancho.keep`, `sancho.wait` | 2 |", Set.of("wait")));
        assertFalse(listsParameter("| `probe` | each configured probe passes |", Set.of("probes")));
    }
}
