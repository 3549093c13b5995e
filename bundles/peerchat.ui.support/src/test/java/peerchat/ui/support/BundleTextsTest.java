package peerchat.ui.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The texts of every UI bundle ({@code bundles/peerchat.ui.*} with a {@code texts.properties}), read
 * from their sources: one check for all of them, beside {@link UiTexts} whose rules it applies. Every
 * {@code Texts.get("key")} has a text and no text is unused; every bundle has a German translation,
 * and each translation has exactly the keys of {@code texts.properties} with the same placeholders
 * (and menu accelerators), so a key added only in English fails the build instead of showing up
 * untranslated.
 */
@RunWith(Parameterized.class)
public class BundleTextsTest {

    private static final Pattern CALL = Pattern.compile("Texts\\.get\\(\"([^\"]+)\"");
    /** A quoted part of a pattern ({@code ''} included): literal text, no placeholders. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    /** {@code {0}}, {@code {1,number,integer}}, {@code {1,choice,…}}: the argument and its format type. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\s*(\\d+)\\s*(?:,\\s*(\\w+))?");

    private final Path bundle;

    public BundleTextsTest(String name) {
        this.bundle = bundlesFolder().resolve(name);
    }

    /** The folder names of the UI bundles that have texts. */
    @Parameters(name = "{0}")
    public static List<String> bundles() throws IOException {
        List<String> bundles = new ArrayList<>();
        try (Stream<Path> folders = Files.list(bundlesFolder())) {
            for (Path folder : folders.sorted().toList()) {
                String name = folder.getFileName().toString();
                if (name.startsWith("peerchat.ui.") && !textsFiles(folder, "texts.properties").isEmpty()) {
                    bundles.add(name);
                }
            }
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("no UI bundle with a texts.properties in " + bundlesFolder());
        }
        return bundles;
    }

    /** {@code bundles/}: this module's parent folder. */
    private static Path bundlesFolder() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    }

    @Test
    public void everyKeyUsedHasATextAndNoTextIsUnused() throws IOException {
        TreeSet<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(bundle.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = CALL.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        TreeSet<String> keys = new TreeSet<>(load(english()).keySet());
        TreeSet<String> missing = new TreeSet<>(used);
        missing.removeAll(keys);
        assertEquals("keys without a text", List.of(), List.copyOf(missing));
        TreeSet<String> unused = new TreeSet<>(keys);
        unused.removeAll(used);
        assertEquals("texts nobody uses", List.of(), List.copyOf(unused));
    }

    @Test
    public void thereIsAGermanTranslation() throws IOException {
        assertTrue("texts_de.properties beside " + english(), Files.isRegularFile(english().resolveSibling("texts_de.properties")));
    }

    @Test
    public void everyTranslationHasTheKeysAndPlaceholdersOfTheEnglishTexts() throws IOException {
        Map<String, String> english = load(english());
        for (Path file : textsFiles(bundle, "texts_*.properties")) {
            Map<String, String> translated = load(file);
            TreeSet<String> missing = new TreeSet<>(english.keySet());
            missing.removeAll(translated.keySet());
            assertEquals(file + ": keys of texts.properties without a translation", List.of(), List.copyOf(missing));
            TreeSet<String> extra = new TreeSet<>(translated.keySet());
            extra.removeAll(english.keySet());
            assertEquals(file + ": keys that texts.properties does not have", List.of(), List.copyOf(extra));
            for (Map.Entry<String, String> text : english.entrySet()) {
                assertEquals(file + ": placeholders of " + text.getKey(), placeholders(text.getValue()),
                        placeholders(translated.get(text.getKey())));
                assertEquals(file + ": " + text.getKey() + " keeps the accelerator after the tab (SWT reads it, e.g. Ctrl+N;"
                        + " GTK shows the modifier in the desktop's language)", accelerator(text.getValue()),
                        accelerator(translated.get(text.getKey())));
            }
        }
    }

    @Test
    public void everyTextIsAMessageFormatPatternWithItsQuotesDoubled() throws IOException {
        for (Path file : textsFiles(bundle, "texts*.properties")) {
            for (Map.Entry<String, String> text : load(file).entrySet()) {
                String where = file.getFileName() + " " + text.getKey() + "=" + text.getValue();
                try {
                    new MessageFormat(text.getValue());
                } catch (IllegalArgumentException e) {
                    fail(where + ": not a MessageFormat pattern: " + e.getMessage());
                }
                assertFalse(where + ": a single quote starts a quoted part and disappears; write ''",
                        text.getValue().replace("''", "").contains("'"));
            }
        }
    }

    private Path english() throws IOException {
        List<Path> files = textsFiles(bundle, "texts.properties");
        assertEquals("one texts.properties in " + bundle, 1, files.size());
        return files.get(0);
    }

    private static List<Path> textsFiles(Path bundle, String glob) throws IOException {
        Path resources = bundle.resolve("src/main/resources");
        if (!Files.isDirectory(resources)) {
            return List.of();
        }
        var matcher = resources.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(resources)) {
            return files.filter(file -> matcher.matches(file.getFileName())).sorted().toList();
        }
    }

    private static Map<String, String> load(Path file) throws IOException {
        Properties texts = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            texts.load(in);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        texts.stringPropertyNames().forEach(key -> sorted.put(key, texts.getProperty(key)));
        return sorted;
    }

    /** A menu text's accelerator after the tab, e.g. {@code Ctrl+N}; empty without one. */
    private static String accelerator(String text) {
        int tab = text.indexOf('\t');
        return tab < 0 ? "" : text.substring(tab + 1);
    }

    /** The placeholders outside quoted parts, e.g. {@code [0, 1,choice, 1,number]}, sorted. */
    private static List<String> placeholders(String pattern) {
        List<String> found = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(QUOTED.matcher(pattern).replaceAll(""));
        while (matcher.find()) {
            found.add(matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "," + matcher.group(2));
        }
        found.sort(null);
        return found;
    }
}
