package peerchat.chat.core.internal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.ChatMessage;

/**
 * An append-only UTF-8 file of {@link HistoryLineCodec} lines. Writes run on one background thread
 * in submission order, so callers never wait for the disk. On load, lines that do not parse (e.g. a
 * line torn by a crash) are skipped with a warning, and a file much longer than what is kept in
 * memory is rewritten with only the kept messages.
 */
final class HistoryFile implements HistoryStore {

    private static final int MAX_WARNINGS = 5;
    private static final long CLOSE_WAIT_SECONDS = 5;
    /** Rewrite only when it saves something worth a rewrite. */
    private static final int COMPACTION_SLACK = 100;

    private final Path file;
    private final ProblemLog problems;
    private final ExecutorService writer;
    /** Touched only on the writer thread. */
    private BufferedWriter out;
    private int linesAtLoad;

    HistoryFile(Path file, ProblemLog problems) {
        this.file = file;
        this.problems = problems;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "peerchat-chat-history");
            thread.setDaemon(true);
            return thread;
        });
    }

    Path path() {
        return file;
    }

    @Override
    public List<ChatMessage> load() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<Long, ChatMessage> latest = new LinkedHashMap<>();
        int lineNumber = 0;
        int skipped = 0;
        // InputStreamReader replaces malformed UTF-8 (a torn last line) instead of failing the load
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    ChatMessage message = HistoryLineCodec.decode(line);
                    latest.put(message.id(), message);
                } catch (IllegalArgumentException e) {
                    skipped++;
                    if (skipped <= MAX_WARNINGS) {
                        problems.warn("skipping line " + lineNumber + " of " + file + ": " + e.getMessage(), null);
                    }
                }
            }
            endWithNewline();
        } catch (IOException e) {
            problems.warn("cannot read chat history " + file + "; starting with what could be read", e);
        }
        if (skipped > MAX_WARNINGS) {
            problems.warn("skipped " + skipped + " unreadable lines of " + file, null);
        }
        linesAtLoad = lineNumber;
        return new ArrayList<>(latest.values());
    }

    @Override
    public void append(ChatMessage message) {
        String line = HistoryLineCodec.encode(message);
        submit(() -> writeLine(line), "message " + message.id());
    }

    @Override
    public void compactTo(List<ChatMessage> kept) {
        if (linesAtLoad <= 2 * kept.size() + COMPACTION_SLACK) {
            return;
        }
        List<String> lines = kept.stream().map(HistoryLineCodec::encode).toList();
        submit(() -> rewrite(lines), "compaction");
    }

    @Override
    public void close() {
        submit(this::closeOut, "close");
        writer.shutdown();
        try {
            if (!writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                problems.warn("chat history writer did not finish within " + CLOSE_WAIT_SECONDS
                        + " s; the last messages may be missing from " + file, null);
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }

    private void submit(Runnable task, String what) {
        try {
            writer.execute(task);
        } catch (RejectedExecutionException e) {
            // a send that completes after deactivation: memory had it, the file is already closed
            problems.warn("chat history is closed; not writing " + what, null);
        }
    }

    /** A crash may have left a line without its newline; the next append must not join it. */
    private void endWithNewline() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            if (length == 0) {
                return;
            }
            raf.seek(length - 1);
            if (raf.read() != '\n') {
                raf.seek(length);
                raf.write('\n');
            }
        }
    }

    private void writeLine(String line) {
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            out.write(line);
            out.write('\n');
            // one flush per message: chat is slow, and a crash then loses at most the current line
            out.flush();
        } catch (IOException e) {
            problems.warn("cannot write chat history to " + file, e);
            closeOut();
        }
    }

    private void rewrite(List<String> lines) {
        closeOut();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            problems.warn("cannot compact chat history " + file + "; keeping it as it is", e);
        }
    }

    private void closeOut() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            problems.warn("cannot close chat history " + file, e);
        }
        out = null;
    }
}
