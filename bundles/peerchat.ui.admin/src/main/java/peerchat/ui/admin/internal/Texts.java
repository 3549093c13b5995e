package peerchat.ui.admin.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The admin views' UI texts, from {@code texts.properties} (plus {@code texts_LANG.properties} where present). */
final class Texts {

    private static final ResourceBundle BUNDLE = ResourceBundle.getBundle("peerchat.ui.admin.internal.texts",
            Locale.getDefault(), Texts.class.getClassLoader());

    private Texts() {
    }

    /** The text for the key, with {@code {0}}, {@code {1}} … filled in; the key itself when it is missing. */
    static String get(String key, Object... arguments) {
        String pattern;
        try {
            pattern = BUNDLE.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return arguments.length == 0 ? pattern : new MessageFormat(pattern, Locale.getDefault()).format(arguments);
    }
}
