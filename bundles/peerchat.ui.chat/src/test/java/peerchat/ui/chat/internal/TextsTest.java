package peerchat.ui.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Locale;

import org.junit.Test;

import peerchat.ui.support.UiTexts;

/**
 * The texts of the chat views load through this bundle's class loader, in English and in German. That every
 * key has a text, in both languages with the same placeholders, is checked for all UI bundles by
 * {@code BundleTextsTest} in {@code peerchat.ui.support}.
 */
public class TextsTest {

    private static UiTexts texts(Locale locale) {
        return new UiTexts(Texts.BASE_NAME, Texts.class.getClassLoader(), locale);
    }

    @Test
    public void textsLoadInEnglishAndGerman() {
        assertNotEquals("a text for the default locale", "roster.title", Texts.get("roster.title"));
        assertEquals("alice (you)", texts(Locale.ROOT).get("roster.you", "alice"));
        assertEquals("alice (ich)", texts(Locale.GERMAN).get("roster.you", "alice"));
        assertEquals("✓ zugestellt", texts(Locale.GERMAN).get("mark.delivered"));
    }
}
