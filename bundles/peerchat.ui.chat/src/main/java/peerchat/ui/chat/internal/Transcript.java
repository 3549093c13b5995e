package peerchat.ui.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;

import peerchat.ui.chat.internal.Conversation.Entry;

/**
 * Keeps a {@link StyledText} showing a list of {@link Entry entries} without rewriting it: each
 * {@link #sync} compares the entries shown with the wanted ones (both in key order) and replaces only
 * the runs that differ, e.g. appends a new message, rewrites the one line whose delivery state
 * changed, inserts an older page at the top or drops a page. The line the user looks at stays in
 * place, unless the transcript follows its end. UI thread only.
 */
final class Transcript {

    /** The text of one entry (ending with a line break) and its styles, offsets from the entry's start. */
    record Rendered(String text, List<StyleRange> styles) {
    }

    private final StyledText widget;
    private final List<Entry> shown = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    /** Scrolls to the end after each change: true until the user scrolls up, again when they come back down. */
    private boolean followEnd = true;
    /** Widget replacements made by the syncs so far (for tests: an update is one replacement). */
    private int replacements;

    Transcript(StyledText widget) {
        this.widget = widget;
    }

    StyledText widget() {
        return widget;
    }

    List<Entry> shown() {
        return List.copyOf(shown);
    }

    int replacements() {
        return replacements;
    }

    boolean followsEnd() {
        return followEnd;
    }

    /** After the user scrolled: follow the end again when they are at it, otherwise stay. */
    void scrolled() {
        followEnd = atEnd();
    }

    void followEnd(boolean follow) {
        followEnd = follow;
        if (follow) {
            scrollToEnd();
        }
    }

    /** The last line is in view. */
    boolean atEnd() {
        int last = widget.getLineCount() - 1;
        return widget.getLinePixel(last) + widget.getLineHeight() <= widget.getClientArea().height + widget.getLineHeight() / 2;
    }

    /** The first line is in view. */
    boolean atTop() {
        return widget.getTopPixel() == 0;
    }

    void scrollToEnd() {
        widget.setTopIndex(Math.max(0, widget.getLineCount() - 1));
    }

    /** Makes the widget show {@code wanted}, changing only what differs. */
    void sync(List<Entry> wanted, Function<Entry, Rendered> render) {
        int anchor = widget.getCharCount() == 0 ? 0 : widget.getOffsetAtLine(widget.getTopIndex());
        List<Entry> nextShown = new ArrayList<>(wanted.size());
        List<Integer> nextLengths = new ArrayList<>(wanted.size());
        Pending pending = new Pending();
        int position = 0; // where the next old entry starts in the widget, once the pending run is applied
        int i = 0;
        int j = 0;
        while (i < shown.size() || j < wanted.size()) {
            Entry old = i < shown.size() ? shown.get(i) : null;
            Entry next = j < wanted.size() ? wanted.get(j) : null;
            int order = old == null ? 1 : next == null ? -1 : old.compareKey(next);
            if (order == 0 && old.equals(next)) {
                if (pending.active()) {
                    position = pending.flush();
                    anchor = pending.anchor(anchor);
                }
                position += lengths.get(i);
                nextShown.add(next);
                nextLengths.add(lengths.get(i));
                i++;
                j++;
                continue;
            }
            pending.begin(position);
            if (order <= 0) { // gone or changed: its old text goes
                pending.removed += lengths.get(i);
                i++;
            }
            if (order >= 0) { // new or changed: its new text comes
                Rendered rendered = render.apply(next);
                pending.add(rendered);
                nextShown.add(next);
                nextLengths.add(rendered.text().length());
                j++;
            }
        }
        if (pending.active()) {
            pending.flush();
            anchor = pending.anchor(anchor);
        }
        shown.clear();
        shown.addAll(nextShown);
        lengths.clear();
        lengths.addAll(nextLengths);
        if (followEnd) {
            scrollToEnd();
        } else {
            widget.setTopIndex(widget.getLineAtOffset(Math.min(Math.max(0, anchor), widget.getCharCount())));
        }
    }

    /** The range {start, length} of the entry of that message in the widget; null when not shown. */
    int[] rangeOf(long messageId) {
        int offset = 0;
        for (int k = 0; k < shown.size(); k++) {
            Entry entry = shown.get(k);
            if (entry.message() != null && entry.id() == messageId) {
                return new int[] { offset, lengths.get(k) };
            }
            offset += lengths.get(k);
        }
        return null;
    }

    /** The entry whose text contains that widget offset; null for none. */
    Entry entryAt(int offsetInWidget) {
        int offset = 0;
        for (int k = 0; k < shown.size(); k++) {
            offset += lengths.get(k);
            if (offsetInWidget < offset) {
                return shown.get(k);
            }
        }
        return null;
    }

    /** Shows that message: scrolled to it (a few lines above it in view) and selected. */
    void reveal(long messageId) {
        int[] range = rangeOf(messageId);
        if (range == null) {
            return;
        }
        followEnd = false;
        int line = widget.getLineAtOffset(range[0]);
        widget.setTopIndex(Math.max(0, line - 3));
        widget.setSelection(range[0], range[0] + range[1] - 1);
    }

    /**
     * A run of changed entries at one place: {@code removed} characters from {@code start} are replaced
     * by {@code text} with its styles, in one widget operation.
     */
    private final class Pending {
        int start = -1;
        int removed;
        final StringBuilder text = new StringBuilder();
        final List<StyleRange> styles = new ArrayList<>();
        /** The last run applied: for moving the anchor. */
        int lastStart;
        int lastRemoved;
        int lastInserted;

        boolean active() {
            return start >= 0;
        }

        void begin(int offset) {
            if (start < 0) {
                start = offset;
            }
        }

        void add(Rendered rendered) {
            int base = text.length();
            for (StyleRange style : rendered.styles()) {
                StyleRange moved = (StyleRange) style.clone();
                moved.start += base;
                styles.add(moved);
            }
            text.append(rendered.text());
        }

        /** Applies the run in one widget operation; returns where the text after it now starts. */
        int flush() {
            if (removed > 0) {
                // StyledText recomputes the caret's place during the replacement from the old top line,
                // which may be gone ("Argument not valid"): start from the top; sync restores the view
                widget.setSelection(0);
                widget.setTopIndex(0);
            }
            widget.replaceTextRange(start, removed, text.toString());
            if (!styles.isEmpty()) {
                for (StyleRange style : styles) {
                    style.start += start; // from the run's start to the widget's
                }
                widget.replaceStyleRanges(start, text.length(), styles.toArray(StyleRange[]::new));
            }
            replacements++;
            lastStart = start;
            lastRemoved = removed;
            lastInserted = text.length();
            int end = start + text.length();
            start = -1;
            removed = 0;
            text.setLength(0);
            styles.clear();
            return end;
        }

        /** The top line's offset moved by the last run: shifted when the run was above it. */
        int anchor(int before) {
            if (before >= lastStart + lastRemoved) {
                return before + lastInserted - lastRemoved;
            }
            return before > lastStart ? lastStart : before;
        }
    }
}
