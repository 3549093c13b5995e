package peerchat.launcher;

import java.nio.file.FileSystemException;

/** Short, one-line descriptions of exceptions for messages on stderr. */
final class Messages {

    private Messages() {
    }

    /** The message, prefixed with the exception's simple name where the message alone says too little. */
    static String describe(Throwable problem) {
        String message = problem.getMessage();
        if (message == null || message.isBlank()) {
            return problem.getClass().getSimpleName();
        }
        if (problem instanceof FileSystemException) {
            return problem.getClass().getSimpleName() + ": " + oneLine(message);
        }
        return oneLine(message);
    }

    /** Joins the lines of a multi-line message, so every report stays one line. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
