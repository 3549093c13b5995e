package peerchat.ui.admin.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/** Every {@code Texts.get("key")} in the sources has its text in texts.properties, and no text is unused. */
public class TextsTest {

    @Test
    public void everyKeyHasAText() throws IOException {
        Path base = Path.of(System.getProperty("basedir", "."));
        Properties texts = new Properties();
        try (Reader in = Files.newBufferedReader(base.resolve("src/main/resources/peerchat/ui/admin/internal/texts.properties"),
                StandardCharsets.UTF_8)) {
            texts.load(in);
        }
        TreeSet<String> used = new TreeSet<>();
        Pattern call = Pattern.compile("Texts\\.get\\(\"([^\"]+)\"");
        try (Stream<Path> files = Files.walk(base.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = call.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>(used);
        missing.removeAll(texts.stringPropertyNames());
        assertEquals("keys without a text", List.of(), List.copyOf(missing));
        TreeSet<String> unused = new TreeSet<>(texts.stringPropertyNames());
        unused.removeAll(used);
        assertEquals("texts nobody uses", List.of(), List.copyOf(unused));
    }
}
