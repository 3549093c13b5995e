package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Locale;

import org.junit.Test;

import peerchat.ui.support.UiTexts;

/**
 * The texts of the workbench load through this bundle's class loader, in English and in German. That every
 * key has a text, in both languages with the same placeholders, is checked for all UI bundles by
 * {@code BundleTextsTest} in {@code peerchat.ui.support}.
 */
public class TextsTest {

    private static UiTexts texts(Locale locale) {
        return new UiTexts(Texts.BASE_NAME, Texts.class.getClassLoader(), locale);
    }

    @Test
    public void textsLoadInEnglishAndGerman() {
        assertNotEquals("a text for the default locale", "menu.file", Texts.get("menu.file"));
        assertEquals("server 0.0.0.0:5555 · 2 clients", texts(Locale.ROOT).get("status.serverRunning", "0.0.0.0:5555", 2));
        assertEquals("Server 0.0.0.0:5555 · 2 Clients", texts(Locale.GERMAN).get("status.serverRunning", "0.0.0.0:5555", 2));
        assertEquals("&Datei", texts(Locale.GERMAN).get("menu.file"));
    }
}
