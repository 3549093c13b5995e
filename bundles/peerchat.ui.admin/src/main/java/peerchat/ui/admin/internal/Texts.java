package peerchat.ui.admin.internal;

import java.util.Locale;

import peerchat.ui.support.UiTexts;

/** The admin views' UI texts: {@code texts.properties} of this package, or its translation for the JVM's default locale. */
final class Texts {

    /** The resource bundle: {@code texts.properties} and {@code texts_de.properties} beside this class. */
    static final String BASE_NAME = "peerchat.ui.admin.internal.texts";

    private static final UiTexts TEXTS = new UiTexts(BASE_NAME, Texts.class.getClassLoader(), Locale.getDefault());

    private Texts() {
    }

    /** See {@link UiTexts#get}. */
    static String get(String key, Object... arguments) {
        return TEXTS.get(key, arguments);
    }
}
