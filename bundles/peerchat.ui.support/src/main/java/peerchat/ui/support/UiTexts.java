package peerchat.ui.support;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The UI texts of one bundle: {@code texts.properties} (UTF-8) beside its classes, or a translation
 * such as {@code texts_de.properties} when the locale asks for one. Each UI bundle passes its own
 * base name and class loader: the files stay in the bundle they describe, so that updating a bundle
 * updates its texts, while the lookup lives here once.
 * <p>
 * Every text is a {@link MessageFormat} pattern, also one without arguments, so the quoting rule is
 * the same for all of them: a single quote is written {@code ''}.
 */
public final class UiTexts {

    private final ResourceBundle texts;
    private final Locale locale;

    /**
     * @param baseName the resource bundle, e.g. {@code peerchat.ui.chat.internal.texts}
     * @param loader the class loader that sees the files: the bundle's own
     * @param locale the language; the bundles pass {@link Locale#getDefault()}, {@link Locale#ROOT}
     *        gives {@code texts.properties} itself
     */
    public UiTexts(String baseName, ClassLoader loader, Locale locale) {
        this.texts = ResourceBundle.getBundle(baseName, locale, loader);
        this.locale = locale;
    }

    /** The text for the key with {@code {0}}, {@code {1}} … filled in; the key itself when it is missing, so a gap shows but does not break a view. */
    public String get(String key, Object... arguments) {
        String pattern;
        try {
            pattern = texts.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return new MessageFormat(pattern, locale).format(arguments);
    }
}
