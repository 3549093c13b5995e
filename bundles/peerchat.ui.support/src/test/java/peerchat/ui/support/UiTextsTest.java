package peerchat.ui.support;

import static org.junit.Assert.assertEquals;

import java.util.Locale;

import org.junit.Test;

/** The lookup and formatting rules, on {@code sample.properties} and {@code sample_de.properties} of the tests. */
public class UiTextsTest {

    private static final String SAMPLE = "peerchat.ui.support.sample";

    private static UiTexts texts(Locale locale) {
        return new UiTexts(SAMPLE, UiTextsTest.class.getClassLoader(), locale);
    }

    @Test
    public void textsAreFoundAndTheirArgumentsFilledIn() {
        UiTexts english = texts(Locale.ROOT);
        assertEquals("Hello", english.get("greeting"));
        assertEquals("Hello bob, one message", english.get("news", "bob", 1));
        assertEquals("Hello bob, 1,234 messages", english.get("news", "bob", 1234));
    }

    @Test
    public void aQuoteIsWrittenTwiceWithOrWithoutArguments() {
        assertEquals("It's bob's turn", texts(Locale.ROOT).get("quoted", "bob"));
        assertEquals("It's here", texts(Locale.ROOT).get("plain"));
    }

    @Test
    public void aMissingKeyShowsTheKey() {
        assertEquals("no.such.key", texts(Locale.ROOT).get("no.such.key", "bob"));
    }

    @Test
    public void germanComesFromTheTranslationWithGermanNumbers() {
        UiTexts german = texts(Locale.GERMAN);
        assertEquals("Grüß dich", german.get("greeting"));
        assertEquals("Hallo bob, 1.234 Nachrichten", german.get("news", "bob", 1234));
        assertEquals("bob ist dran, oder 'nicht'", german.get("quoted", "bob"));
        assertEquals("So 'ist' es", german.get("plain"));
        assertEquals("a text the translation lacks is the default one", "only in English", german.get("english.only"));
    }
}
