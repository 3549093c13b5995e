package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DataDirectoryLockTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void createsTheDirectoryAndWritesTheOwnersPid() throws Exception {
        Path data = folder.getRoot().toPath().resolve("new/data");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(data.resolve(".lock")));
        }
    }

    @Test
    public void aSecondLockIsRefusedNamingTheOwner() throws Exception {
        Path data = folder.getRoot().toPath();
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            try (DataDirectoryLock second = DataDirectoryLock.acquire(data)) {
                fail("locked twice");
            } catch (StartupException e) {
                assertEquals("data directory " + data + " is in use by another peerchat (pid "
                        + ProcessHandle.current().pid() + ")", e.getMessage());
            }
        }
    }

    @Test
    public void theLockIsFreeAgainAfterClose() throws Exception {
        Path data = folder.getRoot().toPath();
        DataDirectoryLock.acquire(data).close();
        try (DataDirectoryLock again = DataDirectoryLock.acquire(data)) {
            assertTrue(Files.exists(data.resolve(".lock")));
        }
    }

    @Test
    public void aStaleLockFileFromACrashDoesNotBlock() throws Exception {
        Path data = folder.getRoot().toPath();
        Files.writeString(data.resolve(".lock"), "999999\n");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(data.resolve(".lock")));
        }
    }

    @Test
    public void aDataDirectoryThatIsAFileIsAClearError() throws Exception {
        Path file = folder.newFile("plain-file").toPath();
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(file)) {
            fail("locked a file as directory");
        } catch (StartupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot create data directory " + file + ": "));
        }
    }
}
