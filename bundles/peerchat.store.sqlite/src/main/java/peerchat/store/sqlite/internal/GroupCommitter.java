package peerchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import peerchat.api.store.StoreException;

/**
 * The one writer: whoever holds the write lock owns the write connection and turns whatever requests
 * are waiting into one transaction, so concurrent writers share one synced commit (group commit). A
 * caller that finds nobody writing commits itself (the common case of one chat thread: no hand-off);
 * otherwise its request waits for the writer thread, which takes everything queued meanwhile. Each request
 * runs in a savepoint of its own: an error of one request (a constraint) fails that request only;
 * a fault of the database (disk full, read-only, I/O error) rolls back the whole batch and fails
 * every request in it with the same readable reason, which {@link #fault()} then reports until a
 * batch commits again. After faults that may be tied to the open file (read-only, I/O, cannot open)
 * the connection is opened again before the next batch, so writes succeed once the cause is gone.
 */
final class GroupCommitter {

    /** What a request does inside the batch's transaction, on the writer's connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Opens a write connection (again). */
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    static final String CLOSED = "message store closed";

    private static final class Request<T> {
        final Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;

        Request(Work<T> work) {
            this.work = work;
        }
    }

    private static final Request<Void> STOP = new Request<>(connection -> null);

    private final ConnectionSource source;
    private final Path file;
    private final int maxBatch;
    private final WriteHook hook;
    private final StoreLog log;
    private final LinkedBlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final AtomicLong commits = new AtomicLong();
    private final Thread writer;
    private boolean closed; // guarded by submitLock
    private volatile String fault;
    /** Held by whoever writes: the writer thread, or a caller that found nobody writing. */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    private Connection connection; // guarded by writing
    /** Requests the writer thread took and holds while it waits for the write lock. */
    private final java.util.concurrent.atomic.AtomicInteger inHand = new java.util.concurrent.atomic.AtomicInteger();

    GroupCommitter(Connection connection, ConnectionSource source, Path file, int maxBatch, WriteHook hook,
            StoreLog log) {
        this.connection = connection;
        this.source = source;
        this.file = file;
        this.maxBatch = Math.max(1, maxBatch);
        this.hook = hook;
        this.log = log;
        this.writer = new Thread(this::run, "peerchat-store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Runs {@code work} in the next batch and waits until that batch committed.
     *
     * @throws StoreException when the batch (or this request) could not be written, or the store is closed
     */
    <T> T submit(Work<T> work) throws StoreException {
        Request<T> request = new Request<>(work);
        synchronized (submitLock) {
            if (closed) {
                throw new StoreException(CLOSED);
            }
            queue.add(request);
        }
        if (writing.tryLock()) {
            // nobody writes: this thread commits what is queued itself (two thread switches fewer
            // per commit); while it does, others queue up for the writer thread as before
            try {
                writeAsLeader(request);
            } catch (RuntimeException | Error e) {
                log.error("message store write failed", e);
                failAll(new StoreException("message store write failed: " + e, e));
            } finally {
                writing.unlock();
            }
        }
        return await(request.done);
    }

    /** Under {@code writing}: batches of what is queued until {@code request} is done or was taken by the writer. */
    private void writeAsLeader(Request<?> request) {
        List<Request<?>> batch = new ArrayList<>();
        while (!request.done.isDone()) {
            queue.drainTo(batch, maxBatch);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                write(batch);
            }
            if (stop) {
                queue.add(STOP); // the writer thread ends the store
            }
            if (batch.isEmpty() || stop) {
                return; // the writer thread has it (it waits for this lock)
            }
            batch.clear();
        }
    }

    private void failAll(StoreException failure) {
        for (Request<?> left; (left = queue.poll()) != null;) {
            if (left != STOP) {
                left.done.completeExceptionally(failure);
            } else {
                queue.add(STOP);
                return;
            }
        }
    }

    private static <T> T await(CompletableFuture<T> done) throws StoreException {
        // wait even when interrupted: the request may commit, and the caller must learn whether it did
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof StoreException storeException) {
                        // a fresh exception with the caller's stack, the writer's one as cause
                        throw new StoreException(storeException.getMessage(), storeException);
                    }
                    throw new StoreException("cannot write the message store: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Commits so far (each one synced): one per batch. */
    long commits() {
        return commits.get();
    }

    /** Requests waiting for a writer (not counting the batch being written). */
    int pending() {
        return queue.size() + inHand.get();
    }

    Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    /** Writes what was submitted before, then closes the connection. Later submits throw. */
    void close() {
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Request<?>> batch = new ArrayList<>();
        try {
            boolean stop = false;
            while (!stop) {
                batch.add(queue.take());
                inHand.set(batch.size());
                writing.lock();
                inHand.set(0);
                try {
                    queue.drainTo(batch, maxBatch - 1);
                    stop = batch.remove(STOP);
                    if (!batch.isEmpty()) {
                        write(batch);
                    }
                } finally {
                    writing.unlock();
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            log.warn("message store writer interrupted; closing", e);
        } catch (RuntimeException | Error e) {
            log.error("message store writer failed; closing", e);
            StoreException failure = new StoreException("message store writer failed: " + e, e);
            batch.forEach(request -> request.done.completeExceptionally(failure));
        } finally {
            synchronized (submitLock) {
                closed = true;
            }
            StoreException closedException = new StoreException(CLOSED);
            writing.lock();
            try {
                for (Request<?> left; (left = queue.poll()) != null;) {
                    left.done.completeExceptionally(closedException);
                }
                closeConnection();
            } finally {
                writing.unlock();
            }
        }
    }

    private void write(List<Request<?>> batch) {
        List<Request<?>> written = new ArrayList<>(batch.size());
        try {
            Connection c = connection();
            try (Statement statement = c.createStatement()) {
                begin(statement);
                try {
                    for (Request<?> request : batch) {
                        if (runInSavepoint(statement, c, request)) {
                            written.add(request);
                        }
                    }
                    hook.beforeCommit(c, batch.size());
                    statement.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    Schema.rollbackQuietly(statement);
                    throw e;
                }
            }
        } catch (SQLException e) {
            failBatch(batch, e);
            return;
        } catch (RuntimeException e) {
            failBatch(batch, new SQLException("unexpected failure: " + e, e));
            return;
        }
        commits.incrementAndGet();
        if (fault != null) {
            log.info("message store writes again: " + file + " (was: " + fault + ")");
            fault = null;
        }
        written.forEach(GroupCommitter::complete);
    }

    /**
     * Starts the batch's transaction. A transaction left open by an earlier failure whose ROLLBACK
     * did not get through (SQLite reports "cannot start a transaction within a transaction") is
     * rolled back first: nothing of it was committed, and the store must not stay unable to write.
     */
    private void begin(Statement statement) throws SQLException {
        try {
            statement.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("within a transaction")) {
                throw e;
            }
            log.warn("message store: a transaction was left open by an earlier failure; rolled back", e);
            statement.execute("ROLLBACK");
            statement.execute("BEGIN IMMEDIATE");
        }
    }

    /** @return true when the request's statements ran; false when it failed alone (rolled back to its savepoint) */
    private static boolean runInSavepoint(Statement statement, Connection c, Request<?> request) throws SQLException {
        statement.execute("SAVEPOINT request");
        try {
            runWork(c, request);
            statement.execute("RELEASE request");
            return true;
        } catch (SQLException e) {
            if (Faults.isFault(e)) {
                throw e;
            }
            undo(statement);
            request.done.completeExceptionally(new StoreException("cannot store: " + e.getMessage(), e));
            return false;
        } catch (RuntimeException e) {
            undo(statement);
            request.done.completeExceptionally(new StoreException("cannot store: " + e, e));
            return false;
        }
    }

    private static <T> void runWork(Connection c, Request<T> request) throws SQLException {
        request.result = request.work.run(c);
    }

    private static void undo(Statement statement) throws SQLException {
        statement.execute("ROLLBACK TO request");
        statement.execute("RELEASE request");
    }

    private static <T> void complete(Request<T> request) {
        request.done.complete(request.result);
    }

    private void failBatch(List<Request<?>> batch, SQLException e) {
        String reason = Faults.reason(e, file);
        if (!reason.equals(fault)) {
            log.warn("message store cannot write, " + batch.size() + " request(s) rolled back: " + reason, e);
        }
        fault = reason;
        if (Faults.needsReopen(e)) {
            closeConnection();
        }
        StoreException failure = new StoreException(reason, e);
        batch.forEach(request -> request.done.completeExceptionally(failure));
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = source.open();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("closing the message store's write connection: " + e.getMessage(), e);
            }
            connection = null;
        }
    }
}
