package peerchat.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second peerchat off a data directory: an OS file lock on {@code DIR/.lock}, which also holds
 * the owner's process id for the error message. The lock goes away with the process, however it ends.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path directory) throws StartupException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StartupException("cannot create data directory " + directory + ": " + Messages.describe(e), e);
        }
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartupException("cannot open " + file + ": " + Messages.describe(e), e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String owner = readOwner(channel);
                channel.close();
                throw new StartupException("data directory " + directory + " is in use by another peerchat"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")"));
            }
            writeOwner(channel, ProcessHandle.current().pid());
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new StartupException("cannot lock data directory " + directory + ": " + Messages.describe(e), e);
        }
    }

    /** Null when another process, or another lock in this JVM, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        buffer.flip();
        String text = StandardCharsets.US_ASCII.decode(buffer).toString().strip();
        return text.matches("\\d+") ? text : "";
    }

    private static void writeOwner(FileChannel channel, long pid) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
    }

    private static void closeQuietly(FileChannel channel, IOException reason) {
        try {
            channel.close();
        } catch (IOException alsoFailed) {
            reason.addSuppressed(alsoFailed);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
