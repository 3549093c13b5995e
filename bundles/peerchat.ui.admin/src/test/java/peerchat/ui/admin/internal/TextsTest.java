package peerchat.ui.admin.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Locale;

import org.junit.Test;

import peerchat.ui.support.UiTexts;

/**
 * The texts of the admin views load through this bundle's class loader, in English and in German. That every
 * key has a text, in both languages with the same placeholders, is checked for all UI bundles by
 * {@code BundleTextsTest} in {@code peerchat.ui.support}.
 */
public class TextsTest {

    private static UiTexts texts(Locale locale) {
        return new UiTexts(Texts.BASE_NAME, Texts.class.getClassLoader(), locale);
    }

    @Test
    public void textsLoadInEnglishAndGerman() {
        assertNotEquals("a text for the default locale", "preferences.title", Texts.get("preferences.title"));
        assertEquals("Applied to peerchat.log.file.", texts(Locale.ROOT).get("preferences.applied", "peerchat.log.file"));
        assertEquals("Für peerchat.log.file übernommen.", texts(Locale.GERMAN).get("preferences.applied", "peerchat.log.file"));
        assertEquals("Einstellungen", texts(Locale.GERMAN).get("preferences.title"));
    }
}
